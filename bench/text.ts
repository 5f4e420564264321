// Throughput of analyseUtterance on the ingest hot path.
// Run: cd /work/main && npm run bench:text
import { performance } from 'node:perf_hooks';
import { analyseUtterance } from '../src/domain/text/analyse-utterance.ts';
import { MAX_UTTERANCE_TEXT } from '../src/domain/signals.ts';
import { generateUtterances } from '../test/domain/text/utterance-corpus.ts';

function measure(label: string, texts: readonly string[], rounds: number): void {
  for (const text of texts.slice(0, 200)) analyseUtterance(text); // warm up the JIT
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let flagged = 0;
  for (let r = 0; r < rounds; r++) for (const text of texts) if (analyseUtterance(text).abusive) flagged++;
  const cpu = process.cpuUsage(cpuStart);
  const runs = texts.length * rounds;
  const wall = ((performance.now() - start) * 1000) / runs;
  const chars = texts.reduce((sum, t) => sum + t.length, 0) / texts.length;
  // CPU time is the steadier number on a shared machine; wall time is what the event loop feels.
  console.log(
    `${label}: ${wall.toFixed(1)} µs wall, ${((cpu.user + cpu.system) / runs).toFixed(1)} µs CPU per utterance` +
      ` (mean ${chars.toFixed(0)} chars, ${flagged}/${runs} abusive)`,
  );
}

const utterances = generateUtterances(5_000);
measure('realistic 1–3 sentence utterances', utterances, 3);
measure('8,000-char utterances (worst case)', [utterances.join(' ').slice(0, MAX_UTTERANCE_TEXT)], 50);
measure('over-long input (capped at 8,000)', ['you idiot '.repeat(10_000)], 20);

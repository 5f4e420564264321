// `npm run bench:goals` — every benchmark an issue sets a goal for (bench:actions, bench:engine,
// bench:ingest), one after another, then one table of the goals with a verdict each and the machine's
// yardsticks from the same run. ~10 minutes; each benchmark's own output streams as it runs.
// `--only actions,engine,ingest` picks some. Last line: one JSON object { results, goals }.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { goalRows, lastJsonLine, yardsticks, type BenchResults } from './lib/goals.ts';

const BENCHES = ['actions', 'engine', 'ingest'] as const;
type Bench = (typeof BENCHES)[number];

const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
const chosen = (args.only?.split(',').map((s) => s.trim()) ?? [...BENCHES]) as Bench[];
const unknown = chosen.filter((name) => !BENCHES.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`bench:goals: --only takes ${BENCHES.join(', ')}; not ${unknown.join(', ')}\n`);
  process.exit(2);
}

/** Runs one benchmark as its own process, its output passed through; its last JSON line, if it printed one. */
function run(name: Bench): Promise<unknown> {
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) process.stderr.write(`bench:goals: bench:${name} exited with ${code}\n`);
      resolve(lastJsonLine(stdout));
    });
  });
}

const results: BenchResults = {};
for (const [i, name] of chosen.entries()) {
  process.stderr.write(`\n== bench:goals ${i + 1}/${chosen.length}: bench:${name} ==\n`);
  (results as Record<Bench, unknown>)[name] = await run(name);
}

const goals = goalRows(results);
// Plain borders unless a terminal shows them: the output is often kept in a file.
const table = new Table({ head: ['issue', 'goal', 'measured', 'verdict'], ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }) });
for (const g of goals) table.push([`#${g.issue}`, g.goal, g.measured, g.met === undefined ? '—' : g.met ? 'met' : 'NOT met']);
console.log(table.toString());
for (const line of yardsticks(results)) console.log(`yardstick: ${line}`);
console.log(JSON.stringify({ results, goals }));

// Micro-benchmark of the burnout model alone (not a test), on the same realistic traffic as
// bench:engine (bench/lib/signals.ts), without the engine around it:
//   1. throughput: applySignal on pre-built, pre-resolved signals for a small org (1,000 agents: the
//      state fits in the CPU caches) and a large one (100,000 agents: every signal is cache misses),
//      per CPU second of this process (what one core does on a shared machine);
//   2. memory: live bytes per agent of the model's state plus the org's Baselines at 100,000 agents
//      after 64 signals each (JS heap and typed-array backing stores, after forced full GCs).
// Run: node --expose-gc --import tsx bench/model-micro.ts [--only throughput|memory] [--rounds 5]
import { parseArgs } from 'node:util';
import { applySignal, Baselines, createAgentState, DEFAULT_MODEL_CONFIG, type AgentModelState } from '../src/domain/burnout/index.ts';
import type { Signal } from '../src/domain/signals.ts';
import { Traffic } from './lib/signals.ts';
import { ensureExposedGc, fmt, fullGc, median } from './lib/rounds.ts';

ensureExposedGc(import.meta.url);

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    'round-size': { type: 'string', default: '500000' },
  },
});
const ROUNDS = Number(args.rounds);
const ROUND_SIZE = Number(args['round-size']);
const START = Date.UTC(2026, 2, 2, 9);
const log = (line: string) => process.stderr.write(line + '\n');

/** agentIdOf(i) is `agent-` and i + 1 in six digits. */
const indexOf = (agentId: string) => Number(agentId.slice(6)) - 1;

function throughput(agents: number): number {
  const traffic = new Traffic({ agents, seed: 11, startMs: START, keys: false });
  const states: AgentModelState[] = Array.from({ length: agents }, () => createAgentState(START));
  const baselines = new Baselines();
  const run = (signals: Signal[]) => {
    // Resolved before timing: the engine's agent lookup is not what is measured here.
    const targets = signals.map((s) => states[indexOf(s.agentId)]);
    fullGc();
    const cpu = process.cpuUsage();
    for (let i = 0; i < signals.length; i++) applySignal(targets[i], signals[i], DEFAULT_MODEL_CONFIG, baselines);
    const used = process.cpuUsage(cpu);
    return signals.length / ((used.user + used.system) / 1e6);
  };
  run(traffic.next(Math.max(ROUND_SIZE, 40 * agents))); // warm-up: JIT, and every agent a few contacts in
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) rates.push(run(traffic.next(ROUND_SIZE)));
  log(`  ${fmt(agents)} agents: ${rates.map(fmt).join(', ')} signals/CPU-s`);
  return median(rates);
}

function memory(agents: number, signalsPerAgent: number): { heap: number; arrayBuffers: number; json: number } {
  const traffic = new Traffic({ agents, seed: 7, startMs: START, keys: false });
  fullGc();
  const before = process.memoryUsage();
  const states: AgentModelState[] = Array.from({ length: agents }, () => createAgentState(START));
  const baselines = new Baselines();
  for (let done = 0; done < signalsPerAgent; done++) {
    for (const signal of traffic.next(agents)) applySignal(states[indexOf(signal.agentId)], signal, DEFAULT_MODEL_CONFIG, baselines);
  }
  fullGc();
  const after = process.memoryUsage();
  const json = JSON.stringify(states).length + JSON.stringify(baselines).length;
  return {
    heap: (after.heapUsed - before.heapUsed) / agents,
    arrayBuffers: (after.arrayBuffers - before.arrayBuffers) / agents,
    json: json / agents,
  };
}

const result: Record<string, number> = {};
if (args.only === undefined || args.only === 'memory') {
  const m = memory(100_000, 64);
  result.bytesPerAgent = Math.round(m.heap + m.arrayBuffers);
  log(`memory: ${fmt(m.heap + m.arrayBuffers)} bytes/agent (${fmt(m.heap)} JS heap + ${fmt(m.arrayBuffers)} typed arrays), JSON ${fmt(m.json)} bytes/agent — 100,000 agents, 64 signals each, state + Baselines`);
}
if (args.only === undefined || args.only === 'throughput') {
  log(`throughput: applySignal, ${ROUNDS} rounds of ${fmt(ROUND_SIZE)} signals after a warm-up`);
  result.signalsPerCpuSecond1k = Math.round(throughput(1_000));
  result.signalsPerCpuSecond100k = Math.round(throughput(100_000));
  log(`  median: ${fmt(result.signalsPerCpuSecond1k)}/s at 1,000 agents, ${fmt(result.signalsPerCpuSecond100k)}/s at 100,000 agents (goal ≥ 1,000,000/s)`);
}
console.log(JSON.stringify(result));

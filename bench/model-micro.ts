// Micro-benchmark of the burnout model alone (not a test): signals/s of applySignal on a pre-built,
// time-ordered signal array, and the size of one agent's state (JSON length and a heap estimate).
// Run: node --expose-gc --import tsx bench/model-micro.ts [agents=2000]
import { applySignal, Baselines, createAgentState, DEFAULT_MODEL_CONFIG, type AgentModelState } from '../src/domain/burnout/index.ts';
import type { Signal } from '../src/domain/signals.ts';
import { buildDay, MONDAY_9AM } from '../test/domain/burnout/scenario.ts';

const agents = Number(process.argv[2] ?? 2000);

// One simulated standard day per agent (3 % abusive calls), agent ids made distinct, merged by time.
const perAgent: Signal[][] = [];
for (let i = 0; i < agents; i++) {
  const agentId = `agent-${i}`;
  perAgent.push(buildDay({ seed: i + 1, abusiveShare: 0.03, start: MONDAY_9AM + (i % 60) * 1000 }).map((s) => ({ ...s, agentId, ...('interactionId' in s ? { interactionId: `${agentId}:${s.interactionId}` } : {}) }) as Signal));
}
const signals = perAgent.flat().sort((a, b) => a.time - b.time);
// Pre-resolved agent slot per signal: the engine's own lookup is not what is measured here.
const agentIndex = Int32Array.from(signals, (s) => Number(s.agentId.slice(6)));

/** Signals per second of wall time and of this process's CPU time (the latter is what one core does
 * when the machine is shared: other processes' load does not count against it). */
function runOnce(): { wall: number; cpu: number } {
  const states: AgentModelState[] = Array.from({ length: agents }, () => createAgentState(MONDAY_9AM));
  const baselines = new Baselines();
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let emitted = 0;
  for (let i = 0; i < signals.length; i++) {
    const out = applySignal(states[agentIndex[i]], signals[i], DEFAULT_MODEL_CONFIG, baselines);
    if (out.index !== undefined) emitted++;
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuUsed = process.cpuUsage(cpu0);
  if (emitted === 0) throw new Error('nothing emitted');
  return { wall: signals.length / wall, cpu: signals.length / ((cpuUsed.user + cpuUsed.system) / 1e6) };
}

runOnce(); // warm-up (JIT)
const runs = [runOnce(), runOnce(), runOnce(), runOnce(), runOnce()];
const best = (key: 'wall' | 'cpu') => Math.round(Math.max(...runs.map((r) => r[key]))).toLocaleString();
const median = (key: 'wall' | 'cpu') => Math.round(runs.map((r) => r[key]).sort((a, b) => a - b)[2]).toLocaleString();
console.log(`signals: ${signals.length.toLocaleString()} for ${agents} agents (one standard day each)`);
console.log(`applySignal per CPU second: median ${median('cpu')}, best ${best('cpu')} signals/s`);
console.log(`applySignal per wall second: median ${median('wall')}, best ${best('wall')} signals/s (load average ${(await import('node:os')).loadavg()[0].toFixed(1)})`);

// State size: 100,000 agents, each mid-day with one call in wrap-up and some history.
const gc = (globalThis as { gc?: () => void }).gc;
const N = 100_000;
const sample = perAgent[0].slice(0, 120);
const sampleAgent = sample[0].agentId;
gc?.();
const before = process.memoryUsage().heapUsed;
const states: AgentModelState[] = new Array(N);
const baselines = new Baselines();
for (let i = 0; i < N; i++) {
  const s = createAgentState(MONDAY_9AM);
  for (const signal of sample) applySignal(s, signal, DEFAULT_MODEL_CONFIG, baselines);
  states[i] = s;
}
gc?.();
const after = process.memoryUsage().heapUsed;
const json = JSON.stringify(states[0]);
console.log(`state JSON: ${json.length} bytes (agent ${sampleAgent} after ${sample.length} signals)`);
console.log(`state heap: ~${Math.round((after - before) / N)} bytes per agent (${N.toLocaleString()} states${gc ? '' : ', run with --expose-gc for a stable figure'})`);

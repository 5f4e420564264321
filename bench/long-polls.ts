// `npm run bench:long-polls`: what idle long-polls of GET /v1/events cost the event loop per commit. The
// bus hands each commit's events to LongPolls, which looks them up by agent and by type; next to it, in
// the same run, the naive way (each long-poll its own bus listener, checking every event). A dashboard
// long-polling per agent for agents that are quiet is the case this guards: such waits must not slow
// ingest. Last line: {"msPerCommit", "naiveMsPerCommit", "waiters", "eventsPerCommit"} (medians).
import { parseArgs } from 'node:util';
import { MemoryBus } from '../src/bus/memory.ts';
import { LongPolls } from '../src/bus/long-polls.ts';
import type { EventEnvelope } from '../src/domain/events.ts';
import { median } from './lib/rounds.ts';

const { values: args } = parseArgs({
  options: {
    waiters: { type: 'string', default: '1000' },
    events: { type: 'string', default: '1000' },
    commits: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
  },
});
const WAITERS = Number(args.waiters);
const EVENTS = Number(args.events);
const COMMITS = Number(args.commits);
const ROUNDS = Number(args.rounds);

// Busy agents produce the events; the long-polls wait on other, quiet agents, so none is ever woken.
const commits: EventEnvelope[][] = Array.from({ length: COMMITS }, (_, c) =>
  Array.from({ length: EVENTS }, (_, i) => ({ id: c * EVENTS + i + 1, type: 'agent-burnout:index', orgId: 'org', agentId: `busy-${i % 500}`, time: 0, data: {} })),
);

/** A way to register one idle wait for `agentId`; returns how to close it. */
type Register = (agentId: string) => () => void;

/** Milliseconds of publishing per commit with WAITERS idle waits registered the given way. */
function measure(waysFor: (bus: MemoryBus) => Register): number {
  const bus = new MemoryBus();
  const register = waysFor(bus);
  const closers = Array.from({ length: WAITERS }, (_, w) => register(`quiet-${w}`));
  const started = performance.now();
  for (const events of commits) bus.publish(events);
  const ms = (performance.now() - started) / COMMITS;
  for (const close of closers) close();
  return ms;
}

const indexed = (bus: MemoryBus): Register => {
  const polls = new LongPolls(bus);
  return (agentId) => {
    const poll = polls.listen('org', { after: 0, agentId });
    return () => poll.close();
  };
};

const naive = (bus: MemoryBus): Register => (agentId) => {
  let heard = false;
  const subscription = bus.subscribe('org', (events) => {
    if (!heard) heard = events.some((e) => e.id > 0 && e.agentId === agentId);
  });
  return () => subscription.close();
};

console.error(`bench:long-polls — ${WAITERS} idle per-agent long-polls, ${COMMITS} commits of ${EVENTS} events, ${ROUNDS} rounds`);
const ours: number[] = [];
const naives: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  ours.push(measure(indexed));
  naives.push(measure(naive));
  console.error(`  round ${round}: LongPolls ${ours.at(-1)!.toFixed(3)} ms/commit, naive ${naives.at(-1)!.toFixed(2)} ms/commit`);
}
const result = { msPerCommit: Number(median(ours).toFixed(3)), naiveMsPerCommit: Number(median(naives).toFixed(2)), waiters: WAITERS, eventsPerCommit: EVENTS };
console.error(`  median: LongPolls ${result.msPerCommit} ms/commit, naive ${result.naiveMsPerCommit} ms/commit`);
console.log(JSON.stringify(result));

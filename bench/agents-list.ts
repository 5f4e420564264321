// `npm run bench:agents-list`: what one page of GET /v1/agents costs the event loop at 100,000 agents.
// listAgents keeps only the page in order while it looks at every agent once; next to it, in the same
// run and alternating, the way it worked before: every matching agent into an array, the array sorted,
// the page sliced off. Both read levels at the same time `at` (each agent's level at that time costs a
// decay when the list filters or sorts by level). Last line: {"msPerPage": {...}, "sortAllMsPerPage": {...}} (medians).
import { parseArgs } from 'node:util';
import { OrgRuntime, type AgentRuntime } from '../src/engine/org-runtime.ts';
import { agentView, levelRank, listAgents, type AgentListQuery } from '../src/engine/read-model.ts';
import { DEFAULT_MODEL_CONFIG } from '../src/domain/burnout/index.ts';
import { keyHash } from '../src/engine/key-hash.ts';
import { Traffic } from './lib/signals.ts';
import { median } from './lib/rounds.ts';

const { values: args } = parseArgs({ options: { agents: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '9' } } });
const AGENTS = Number(args.agents);
const ROUNDS = Number(args.rounds);

const traffic = new Traffic({ agents: AGENTS, seed: 7, startMs: Date.now() - 3 * 86_400_000 });
const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
for (let i = 0; i < 16; i++) for (const signal of traffic.next(AGENTS)) org.apply(signal, keyHash(signal.key!), null);

/** The page the old way: collect, sort everything, slice. */
function sortAll(q: AgentListQuery) {
  const rows: { rank: number; id: string; runtime: AgentRuntime }[] = [];
  for (const [id, runtime] of org.agents) {
    const level = q.levels !== undefined || q.sort === 'level' ? org.levelAt(runtime, q.at) : undefined;
    if (q.levels && !q.levels.includes(level!)) continue;
    rows.push({ rank: q.sort === 'level' ? levelRank(level!) : 0, id, runtime });
  }
  rows.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.slice(0, q.limit).map((r) => agentView(org, r.id, r.runtime, q.at));
}

const at = Date.now();
const queries: Record<string, AgentListQuery> = {
  'sort=agentId': { at, sort: 'agentId', limit: 100 },
  'sort=level': { at, sort: 'level', limit: 100 },
  'level=high,critical': { at, sort: 'agentId', limit: 100, levels: ['high', 'critical'] },
};
const timed = (run: () => unknown) => {
  const started = performance.now();
  run();
  return performance.now() - started;
};
const ms: Record<string, number> = {};
const sortAllMs: Record<string, number> = {};
process.stderr.write(`bench:agents-list — ${AGENTS.toLocaleString('en')} agents, pages of 100, ${ROUNDS} alternating rounds\n`);
for (const [name, q] of Object.entries(queries)) {
  const mine: number[] = [];
  const theirs: number[] = [];
  // Same page both ways, or the comparison means nothing.
  if (JSON.stringify(listAgents(org, q).items) !== JSON.stringify(sortAll(q))) throw new Error(`${name}: the two ways disagree`);
  for (let r = 0; r < ROUNDS; r++) {
    mine.push(timed(() => listAgents(org, q)));
    theirs.push(timed(() => sortAll(q)));
  }
  ms[name] = Math.round(median(mine) * 10) / 10;
  sortAllMs[name] = Math.round(median(theirs) * 10) / 10;
  process.stderr.write(`  ${name}: ${ms[name]} ms a page (sorting every agent: ${sortAllMs[name]} ms)\n`);
}
console.log(JSON.stringify({ msPerPage: ms, sortAllMsPerPage: sortAllMs }));

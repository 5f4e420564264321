// Agent read models straight from the engine's memory. Sorting is by level bucket, then agentId —
// never by the exact index: the index is a wellbeing signal, not a leaderboard (DESIGN.md, privacy).
import { LEVELS, type Level } from '../domain/burnout/index.ts';
import type { AgentRuntime, OrgRuntime } from './org-runtime.ts';

export interface AgentView {
  agentId: string;
  burnoutIndex: number;
  level: Level;
  state: string;
  factors: Record<string, number>;
  /** Time of the agent's latest signal or played break (epoch ms). The index and level are as of the read (`at`): they keep recovering between signals. */
  updatedAt: number;
}

export type AgentSort = 'agentId' | 'level';

export interface AgentListQuery {
  /** The time (epoch ms) the index and levels are read at. */
  at: number;
  levels?: Level[];
  sort: AgentSort;
  limit: number;
  /** Position after which to continue: [levelRank, agentId] for level sort, [0, agentId] otherwise. */
  after?: [number, string];
}

/** The agent as of `at` (epoch ms): an agent on a break at their latest signal has recovered since. */
export function agentView(org: OrgRuntime, agentId: string, runtime: AgentRuntime, at: number): AgentView {
  const view = org.view(runtime, at);
  const factors: Record<string, number> = {};
  for (const [name, points] of Object.entries(view.factors)) if (points !== 0) factors[name] = points;
  return { agentId, burnoutIndex: view.index, level: view.level, state: runtime.activity, factors, updatedAt: runtime.m.t };
}

/** Higher levels first, so a supervisor sees who may need support. */
export const levelRank = (level: Level) => LEVELS.length - 1 - LEVELS.indexOf(level);

interface Row {
  rank: number;
  id: string;
  runtime: AgentRuntime;
}

/** Order of a list: rank (0 unless sorting by level), then agentId. Negative when (rank, id) comes first. */
const order = (rank: number, id: string, row: Row) => rank - row.rank || (id < row.id ? -1 : id > row.id ? 1 : 0);

/**
 * One page of the org's agents. Only the page (and one row past it, which says whether there is a next
 * page) is kept in order while every agent is looked at once: sorting all of them took 110–200 ms of the
 * event loop at 100,000 agents for a page of 100.
 */
export function listAgents(org: OrgRuntime, q: AgentListQuery): { items: AgentView[]; next?: [number, string] } {
  const keep = q.limit + 1;
  const best: Row[] = [];
  const needsLevel = q.levels !== undefined || q.sort === 'level';
  for (const [id, runtime] of org.agents) {
    // Each agent's level at `at` costs a decay; only a level filter or sort needs it for every agent.
    const level = needsLevel ? org.levelAt(runtime, q.at) : undefined;
    if (q.levels && !q.levels.includes(level!)) continue;
    const rank = q.sort === 'level' ? levelRank(level!) : 0;
    if (q.after && (rank < q.after[0] || (rank === q.after[0] && id <= q.after[1]))) continue;
    if (best.length === keep && order(rank, id, best[keep - 1]) > 0) continue;
    // Binary search: agents created in descending id order would make a linear one quadratic.
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (order(rank, id, best[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, { rank, id, runtime });
    if (best.length > keep) best.pop();
  }
  const page = best.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => agentView(org, r.id, r.runtime, q.at)),
    next: best.length > q.limit && last ? [last.rank, last.id] : undefined,
  };
}

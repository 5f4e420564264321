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
  /** Time of the agent's latest signal (epoch ms). The index and level are as of the read (`at`): they keep recovering between signals. */
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
const levelRank = (level: Level) => LEVELS.length - 1 - LEVELS.indexOf(level);

export function listAgents(org: OrgRuntime, q: AgentListQuery): { items: AgentView[]; next?: [number, string] } {
  const rows: { rank: number; id: string; runtime: AgentRuntime }[] = [];
  for (const [id, runtime] of org.agents) {
    const level = org.levelAt(runtime, q.at);
    if (q.levels && !q.levels.includes(level)) continue;
    const rank = q.sort === 'level' ? levelRank(level) : 0;
    if (q.after && (rank < q.after[0] || (rank === q.after[0] && id <= q.after[1]))) continue;
    rows.push({ rank, id, runtime });
  }
  rows.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => agentView(org, r.id, r.runtime, q.at)),
    next: rows.length > q.limit && last ? [last.rank, last.id] : undefined,
  };
}

// The end-of-run summary: what the server made of the traffic, as a table on stdout.
import Table from 'cli-table3';
import type { AgentIndexItem, RespiteClient } from './client.ts';
import type { SendTotals } from './sender.ts';

export const LEVELS = ['low', 'moderate', 'high', 'critical'] as const;

export interface ServerOutcome {
  agentsByLevel?: Record<string, number>;
  breaksRecommended?: number;
  /** Why a part could not be read (e.g. the token lacks a scope). */
  problems: string[];
}

export async function fetchOutcome(client: RespiteClient): Promise<ServerOutcome> {
  const outcome: ServerOutcome = { problems: [] };
  try {
    const byLevel: Record<string, number> = Object.fromEntries(LEVELS.map((l) => [l, 0]));
    for await (const agent of client.paged<AgentIndexItem>('/v1/agents?limit=1000')) byLevel[agent.level] = (byLevel[agent.level] ?? 0) + 1;
    outcome.agentsByLevel = byLevel;
  } catch (error) {
    outcome.problems.push(`agents: ${(error as Error).message}`);
  }
  try {
    let count = 0;
    for await (const _ of client.paged('/v1/events?type=wellness-break:recommended&after=0&limit=1000')) count++;
    outcome.breaksRecommended = count;
  } catch (error) {
    outcome.problems.push(`events: ${(error as Error).message}`);
  }
  return outcome;
}

export function renderSummary(totals: SendTotals, elapsedMs: number, outcome: ServerOutcome): string {
  const table = new Table({ head: ['', 'value'], style: { head: [], border: [] } });
  const na = 'n/a';
  if (outcome.agentsByLevel) {
    for (const [level, count] of Object.entries(outcome.agentsByLevel)) table.push([`agents ${level}`, String(count)]);
  } else table.push(['agents by level', na]);
  table.push(
    ['breaks recommended', outcome.breaksRecommended === undefined ? na : String(outcome.breaksRecommended)],
    ['signals sent', String(totals.sent)],
    ['accepted', String(totals.accepted)],
    ['duplicates', String(totals.duplicates)],
    ['rejected', String(totals.rejected)],
    ['ignored (not scored)', String(totals.ignored)],
    ['signals/s', String(Math.round(totals.sent / Math.max(0.001, elapsedMs / 1000)))],
  );
  return table.toString();
}

// Follows an action query's cursor to the end, as a client paging through GET /v1/agentburnout/actions.
import type { ActionCursor, ActionQuery, Store } from '../../../src/store/types.ts';

/** The ids of every page of `query`, `limit` at a time. */
export async function everyActionId(store: Store, query: Omit<ActionQuery, 'limit' | 'before'>, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let before: ActionCursor | undefined;
  do {
    const page = await store.actions.list({ ...query, limit, before });
    ids.push(...page.items.map((a) => a.id));
    before = page.next;
  } while (before);
  return ids;
}

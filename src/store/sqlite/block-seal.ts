// Agent lookups in the action and event logs (migrations 007 and 008) go through blocks of 4,096
// consecutive ids, indexed by agent only once full ("sealed"): one sorted insert, written once.

/** Ids per block (the migrations' `>> 12`). */
export const BLOCK_SIZE = 4096;
export const blockOf = (id: number) => Math.floor(id / BLOCK_SIZE);

/**
 * Runs on the writer thread, inside the transaction that writes the rows: told that rows of `scope`
 * (an org, or '' for a log with one sequence) land in `block`, seals every earlier block not sealed yet.
 * `sealedBelow` reads where sealing stands in the database; `seal` indexes blocks [from, to) and records
 * that blocks below `to` are sealed.
 */
export function blockSealer(sealedBelow: (scope: string) => number, seal: (scope: string, from: number, to: number) => void) {
  /**
   * Each scope's block of the last rows seen, to ask the database only when a block changes. It may run
   * ahead of the database when a commit is rolled back; then the block stays unsealed (its rows are
   * scanned: slower, but complete) until the scope's next block change seals both.
   */
  const seenBlocks = new Map<string, number>();
  return (scope: string, block: number): void => {
    if (seenBlocks.get(scope) === block) return;
    seenBlocks.set(scope, block);
    const from = sealedBelow(scope);
    if (from < block) seal(scope, from, block);
  };
}

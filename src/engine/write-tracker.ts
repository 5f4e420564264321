// The engine applies an input in memory, then writes it; a write that fails leaves memory ahead of what
// is durable. This keeps count of such failures, and lets the engine wait until every write it started
// has settled, so a snapshot never persists what the log does not hold, and a reload sees all of it.
export class WriteTracker {
  private chain: Promise<void> = Promise.resolve();
  /** Writes that failed so far. */
  failures = 0;

  /** `write` unchanged; `onFailure` runs (after the count went up) if it fails. */
  track<T>(write: Promise<T>, onFailure: () => void): Promise<T> {
    const counted = write.then(undefined, () => {
      this.failures++;
      onFailure();
    });
    // A chain, not the latest write: writes of different kinds settle a promise hop apart, so the newest
    // one settling says nothing of whether an older one's failure was counted yet.
    this.chain = Promise.all([this.chain, counted]).then(noop);
    return write;
  }

  /** Resolves once every write tracked until now has settled and its failure, if any, was counted. */
  settled(): Promise<void> {
    return this.chain;
  }
}

const noop = () => undefined;

// The engine applies an input in memory, then writes it; a write that fails leaves memory ahead of what
// is durable. This keeps count of such failures, and lets the engine wait until every write it started
// has settled, so a snapshot never persists what the log does not hold, and a reload sees all of it.
const ignore = (): void => undefined;

export class WriteTracker {
  private chain: Promise<void> = Promise.resolve();
  /** Writes that failed so far. */
  failures = 0;
  /** One handler for every write (this runs for each action and batch: no closure per write). */
  private readonly failed = () => {
    this.failures++;
    this.onFailure();
  };

  /** `onFailure` runs after a tracked write failed (and the count went up). */
  constructor(private readonly onFailure: () => void) {}

  /** `write` unchanged, tracked. */
  track<T>(write: Promise<T>): Promise<T> {
    // A chain, not the latest write: writes of different kinds settle a promise hop apart, so the newest
    // one settling says nothing of whether an older one's failure was counted yet. Its links carry no
    // values: a Promise.all chain resolved to [[[…], result], result], every write's result for ever.
    const counted = write.then(ignore, this.failed);
    this.chain = this.chain.then(() => counted);
    return write;
  }

  /** Resolves once every write tracked until now has settled and its failure, if any, was counted. */
  async settled(): Promise<void> {
    await this.chain;
  }
}

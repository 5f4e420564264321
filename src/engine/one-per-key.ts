// Idempotency-Key handling, decided before anything is applied: the engine applies a request's effects
// in memory and commits them together with its key, so it must know first whether the request is new.
// This process is the only writer, so "new" is known from what is committed plus the requests still in
// flight here: requests sharing a key run one after another, and a retry racing its original waits for
// it, then finds it committed.
export class OnePerKey {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** Runs `task` once no other task of this org and key is running. */
  async run<T>(orgId: string, key: string, task: () => Promise<T>): Promise<T> {
    const slot = `${orgId}\n${key}`;
    for (let running = this.inFlight.get(slot); running; running = this.inFlight.get(slot)) await running.catch(() => undefined);
    // No await between the loop's last check and this: the slot is taken atomically.
    const result = task();
    this.inFlight.set(slot, result);
    try {
      return await result;
    } finally {
      this.inFlight.delete(slot);
    }
  }
}

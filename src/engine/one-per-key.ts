// Idempotency-Key handling for recorded actions, decided before anything is applied: the engine
// applies a new action's effect (a played break) and commits it together with the action, so it must
// know first whether the request is new. This process is the only writer, so "new" is known from the
// committed actions plus the requests still in flight here.
import { answerRetry, type Idempotency } from '../domain/actions.ts';
import type { ActionRepo, RecordActionResult } from '../store/types.ts';

export class KeyedActions {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly actions: Pick<ActionRepo, 'findByKey'>) {}

  /** `record` runs only when no action has this key yet; otherwise the first one answers. */
  async once(orgId: string, idempotency: Idempotency, record: () => Promise<RecordActionResult>): Promise<RecordActionResult> {
    const slot = `${orgId}\n${idempotency.key}`;
    // A retry racing its original waits for it, then finds it committed.
    for (let running = this.inFlight.get(slot); running; running = this.inFlight.get(slot)) await running.catch(() => undefined);
    const result = (async () => {
      const first = await this.actions.findByKey(orgId, idempotency.key);
      return first ? answerRetry(first.action, first.requestHash, idempotency.requestHash) : record();
    })();
    this.inFlight.set(slot, result);
    try {
      return await result;
    } finally {
      this.inFlight.delete(slot);
    }
  }
}

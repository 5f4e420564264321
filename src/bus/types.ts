// The bus carries committed events from where they are written to whoever follows them live (the
// long-poll of GET /v1/events today; the WebSocket hub and webhook dispatcher of the delivery stage).
// `memory` is the single-process bus; a NATS JetStream one implements the same interface for the
// scale-out stage (DESIGN.md, src/bus/). The store's event log stays the record: the bus only says
// "these were committed", so a follower that misses some (a restart, a slow consumer) reads them back
// from the log by id.
import type { EventEnvelope } from '../domain/events.ts';

/** Called with each commit's events of one org, in id order. Must not throw; should return quickly. */
export type EventListener = (events: readonly EventEnvelope[]) => void;

export interface Subscription {
  close(): void;
}

export interface Bus {
  /**
   * Hands events that are durable to the listeners of their org. Called once per commit, in commit
   * order, so each org's listeners see increasing ids. A listener that throws is reported and
   * skipped: the others and the writer go on.
   */
  publish(events: readonly EventEnvelope[]): void;
  /** Events of `orgId` published from now on, until the subscription is closed. */
  subscribe(orgId: string, listener: EventListener): Subscription;
  /** This process's open subscriptions for `orgId` (a long-poll that ended must not keep one). */
  listenerCount(orgId: string): number;
}

/** What a store needs of a bus: somewhere to say what it committed. */
export type EventSink = Pick<Bus, 'publish'>;

export const NO_SINK: EventSink = { publish() {} };

// Applies pre-parsed signals to one org the way Engine.applyIntake applies a batch: in runs of WARM_RUN,
// each run's agents warmed first once the org is large, the runtime the warm pass found handed over.
// Shared by bench:engine (the pre-parsed figure) and bench:compare, which runs it against the code of
// an earlier commit: so it takes that code's OrgRuntime module as an argument, and only uses what every
// version since warm runs has (a `warm` that answered nothing is looked up again, as before).
import type { NewEvent } from '../../src/domain/events.ts';
import type { Signal, SignalType } from '../../src/domain/signals.ts';

/** What bench:compare loads from a tree: the parts of org-runtime.ts the runner calls. */
export interface OrgRuntimeModule {
  WARM_RUN: number;
}

/** The OrgRuntime methods the runner calls (the module's class, whatever its version). */
export interface OrgLike {
  agents: Map<string, unknown>;
  warmsRuns(): boolean;
  warm(agentId: string, endsContact: boolean): unknown;
  apply(input: Signal, hash: number, events: NewEvent[] | null, interactionHash?: number, known?: unknown): void;
}

/** Signals with what the intake computes for them off the engine's thread. */
export interface PreParsedRound {
  signals: Signal[];
  /** Each signal's idempotency-key hash. */
  hashes: Float64Array;
  /** Each signal's interaction-id hash, or −1 when it has no interaction. */
  interactions: Float64Array;
}

/**
 * `signals` as the intake hands them over, key hash and interaction-id hash computed (off the engine's
 * thread), with the hash functions of the tree under test.
 */
export function preParsedRound(signals: Signal[], keyHash: (key: string) => number, idHash: (id: string) => number): PreParsedRound {
  return {
    signals,
    hashes: Float64Array.from(signals, (s) => keyHash(s.key!)),
    interactions: Float64Array.from(signals, (s) => ('interactionId' in s ? idHash(s.interactionId) : -1)),
  };
}

/**
 * A function applying a round to `org`; events are dropped every `batch` signals, as the engine hands
 * each batch's events to the log. `endsContact`: the tree's own (older trees have none: always false).
 */
export function preParsedRunner(
  runtime: OrgRuntimeModule,
  org: OrgLike,
  batch: number,
  endsContact: (type: SignalType) => boolean,
): (round: PreParsedRound) => void {
  const warmed: unknown[] = [];
  return ({ signals, hashes, interactions }) => {
    let events: NewEvent[] = [];
    const warm = org.warmsRuns();
    for (let run = 0; run < signals.length; run += runtime.WARM_RUN) {
      const end = Math.min(signals.length, run + runtime.WARM_RUN);
      if (warm) for (let i = run; i < end; i++) warmed[i - run] = org.warm(signals[i].agentId, endsContact(signals[i].type));
      for (let i = run; i < end; i++) {
        const known = (warm ? warmed[i - run] : undefined) ?? org.agents.get(signals[i].agentId);
        org.apply(signals[i], hashes[i], events, interactions[i] >= 0 ? interactions[i] : undefined, known);
        if (i % batch === batch - 1) events = [];
      }
    }
    if (warm) warmed.fill(undefined);
  };
}

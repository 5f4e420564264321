// Applies pre-parsed signals to one org the way Engine.applyIntake applies a batch: in runs of WARM_RUN,
// each run's agents warmed first once the org is large, the runtime the warm pass found handed over.
// Shared by bench:engine (the pre-parsed figure) and bench:compare, which runs it against the code of
// an earlier commit: so it takes that code's OrgRuntime module as an argument, and only uses what every
// version since warm runs has (a `warm` that answered nothing is looked up again, as before), plus the
// agent keys and the level-by-level warm pass where the tree has them.
import type { NewEvent } from '../../src/domain/events.ts';
import type { Signal, SignalType } from '../../src/domain/signals.ts';

/** What bench:compare loads from a tree: the parts of org-runtime.ts the runner calls. */
export interface OrgRuntimeModule {
  WARM_RUN: number;
}

/** The OrgRuntime methods the runner calls (the module's class, whatever its version). */
export interface OrgLike {
  agents: ReadonlyMap<string, unknown>;
  warmsRuns(): boolean;
  /** Since the level-by-level warm pass: fills `runtimes` for a run. */
  warmRun?(run: { count: number; ids: string[]; keys: Float64Array; ends: Uint8Array; runtimes: unknown[] }): void;
  /** Before it: warm(agentId, key, endsContact) since agent keys, warm(agentId, endsContact) before them. */
  warm?(agentId: string, ...rest: [number, boolean] | [boolean]): unknown;
  /** Since agent keys. */
  find?(agentId: string, key: number): unknown;
  apply(input: Signal, hash: number, events: NewEvent[] | null, interactionHash?: number, known?: unknown): void;
}

/** Signals with what the intake computes for them off the engine's thread. */
export interface PreParsedRound {
  signals: Signal[];
  /** Each signal's idempotency-key hash. */
  hashes: Float64Array;
  /** Each signal's interaction-id hash, or −1 when it has no interaction. */
  interactions: Float64Array;
  /** Each signal's agentKey (0 when the tree has none). */
  agentKeys: Float64Array;
}

/**
 * `signals` as the intake hands them over, key hash, interaction-id hash and agent key computed (off the
 * engine's thread), with the hash functions of the tree under test.
 */
export function preParsedRound(signals: Signal[], keyHash: (key: string) => number, idHash: (id: string) => number, agentKey?: (id: string) => number): PreParsedRound {
  return {
    signals,
    hashes: Float64Array.from(signals, (s) => keyHash(s.key!)),
    interactions: Float64Array.from(signals, (s) => ('interactionId' in s ? idHash(s.interactionId) : -1)),
    agentKeys: agentKey ? Float64Array.from(signals, (s) => agentKey(s.agentId)) : new Float64Array(signals.length),
  };
}

/**
 * A function applying a round to `org` a batch of `batch` signals at a time, answering the milliseconds
 * spent applying. Each batch's agent ids are handed over first, untimed, as the engine's thread gets
 * them: new string objects, structured-cloned with the batch (a Map keyed by the id string then hashes
 * and compares each; ids the generator shares with the agent's first signal, as earlier versions of this
 * runner applied them, flattered a string-keyed lookup by 12–15 %). Events are dropped after each batch,
 * as the engine hands them to the log. `endsContact`: the tree's own (older trees have none: always false).
 */
export function preParsedRunner(
  runtime: OrgRuntimeModule,
  org: OrgLike,
  batch: number,
  endsContact: (type: SignalType) => boolean,
): (round: PreParsedRound) => number {
  const keyed = typeof org.find === 'function';
  const byLevel = typeof org.warmRun === 'function';
  const size = runtime.WARM_RUN;
  const run = { count: 0, ids: new Array<string>(size).fill(''), keys: new Float64Array(size), ends: new Uint8Array(size), runtimes: new Array<unknown>(size).fill(undefined) };
  const warmed = run.runtimes;
  return ({ signals, hashes, interactions, agentKeys }) => {
    let ms = 0;
    for (let from = 0; from < signals.length; from += batch) {
      const to = Math.min(signals.length, from + batch);
      const ids = structuredClone(signals.slice(from, to).map((s) => s.agentId));
      for (let i = from; i < to; i++) signals[i].agentId = ids[i - from];
      const start = performance.now();
      applyBatch(from, to);
      ms += performance.now() - start;
    }
    return ms;

    function applyBatch(from: number, to: number): void {
      const events: NewEvent[] = [];
      const warm = org.warmsRuns();
      for (let start = from; start < to; start += size) {
        const end = Math.min(to, start + size);
        if (warm && byLevel) {
          run.count = end - start;
          for (let i = start; i < end; i++) {
            run.ids[i - start] = signals[i].agentId;
            run.keys[i - start] = agentKeys[i];
            run.ends[i - start] = endsContact(signals[i].type) ? 1 : 0;
          }
          org.warmRun!(run);
        } else if (warm) {
          if (keyed) for (let i = start; i < end; i++) warmed[i - start] = org.warm!(signals[i].agentId, agentKeys[i], endsContact(signals[i].type));
          else for (let i = start; i < end; i++) warmed[i - start] = org.warm!(signals[i].agentId, endsContact(signals[i].type));
        }
        for (let i = start; i < end; i++) {
          const agentId = signals[i].agentId;
          const known = (warm ? warmed[i - start] : undefined) ?? (keyed ? org.find!(agentId, agentKeys[i]) : org.agents.get(agentId));
          // As the engine decodes a known agent's signal: with the agent's own id string (AgentRuntime.id).
          if (keyed && known !== undefined) signals[i].agentId = (known as { id: string }).id;
          org.apply(signals[i], hashes[i], events, interactions[i] >= 0 ? interactions[i] : undefined, known);
        }
      }
      if (warm) {
        warmed.fill(undefined);
        run.ids.fill('');
      }
    }
  };
}

// Applying a validated batch of signals to one org: what only the engine's state can decide for each
// signal (is the agent scored? is the key a duplicate? is it too late?), then the model. The per-signal
// loop of ingest: the batch is applied in one go, with no await in between.
import type { BurnoutConfigRecord } from '../domain/burnout-config.ts';
import type { NewEvent } from '../domain/events.ts';
import type { Signal } from '../domain/signals.ts';
import type { Rejection } from './intake.ts';
import { KEY_RING_SIZE } from './key-ring.ts';
import type { LiveState } from './live-state.ts';
import { WARM_RUN, clearWarmRun, warmRunInput, type AgentRuntime, type OrgRuntime } from './org-runtime.ts';
import { agentIdAt, agentKeyAt, decodeSignal, endsContactAt, hashAt, indexAt, interactionHashAt, type SignalBatch } from './signal-codec.ts';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Valid signals for agents the configuration does not score (org disabled, agent not included). */
  ignored: number;
  errors: Rejection[];
}

/** A batch as applied: the answer's counts, which signals were applied (1 each: the log keeps only those), and the events. */
export interface AppliedBatch {
  result: IngestResult;
  applied: Uint8Array;
  events: NewEvent[];
}

const IGNORED = Symbol('ignored');
const DUPLICATE = Symbol('duplicate');
const KEY_FORGOTTEN = `time is at or before signals whose idempotency keys are no longer remembered (the last ${KEY_RING_SIZE} per agent); if this is a retry, it was applied already`;

export class BatchApplier {
  /** The run of signals being applied, as the warm pass reads it, and the runtimes it found (undefined: not there yet). */
  private readonly run = warmRunInput();

  constructor(
    private readonly state: LiveState,
    /** Signals older than the agent's latest by more than this are refused (ms). */
    private readonly lateToleranceMs: number,
  ) {}

  /** Applies `batch` to `org` under `config`; `rejected`: the intake's rejections, which this adds to. */
  apply(org: OrgRuntime, config: BurnoutConfigRecord, batch: SignalBatch, rejected: Rejection[]): AppliedBatch {
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, ignored: 0, errors: rejected };
    const applied = new Uint8Array(batch.count);
    const events: NewEvent[] = [];
    const warm = org.warmsRuns();
    const run = this.run;
    for (let start = 0; start < batch.count; start += WARM_RUN) {
      const end = Math.min(batch.count, start + WARM_RUN);
      if (warm) {
        run.count = end - start;
        for (let i = start; i < end; i++) {
          run.ids[i - start] = agentIdAt(batch, i);
          run.keys[i - start] = agentKeyAt(batch, i);
          run.ends[i - start] = endsContactAt(batch, i) ? 1 : 0;
        }
        org.warmRun(run);
      }
      for (let i = start; i < end; i++) {
        // Looked up once for the screen and the model: by the warm pass unless the agent was new then.
        const known = (warm ? run.runtimes[i - start] : undefined) ?? org.find(agentIdAt(batch, i), agentKeyAt(batch, i));
        const signal = decodeSignal(batch, i, known?.id);
        const hash = hashAt(batch, i);
        const verdict = this.screen(org, config, signal, hash, known);
        if (verdict === IGNORED) result.ignored++;
        else if (verdict === DUPLICATE) result.duplicates++;
        else if (verdict !== undefined) rejected.push({ index: indexAt(batch, i), reason: verdict });
        else {
          org.apply(signal, hash, events, interactionHashAt(batch, i), known);
          applied[i] = 1;
          result.accepted++;
        }
      }
    }
    // Not kept alive past the batch (an agent may be forgotten before the next).
    if (warm) clearWarmRun(run);
    result.rejected = rejected.length;
    result.errors.sort((a, b) => a.index - b.index);
    if (events.length > 0) this.state.keepWantedBreaks(config, events);
    return { result, applied, events };
  }

  /**
   * Whether a valid signal is applied (undefined), IGNORED, DUPLICATE, or the reason it is refused. A
   * method, not a closure in the loop: this runs for every signal.
   */
  private screen(org: OrgRuntime, config: BurnoutConfigRecord, signal: Signal, hash: number, known: AgentRuntime | undefined): string | typeof IGNORED | typeof DUPLICATE | undefined {
    if (!this.state.scored(config, signal.agentId)) return IGNORED;
    if (known === undefined) return undefined;
    if (org.seen(known, hash)) return DUPLICATE;
    if (signal.time <= known.fw) return KEY_FORGOTTEN;
    if (signal.time < known.m.t - this.lateToleranceMs) return `time is more than ${this.lateToleranceMs / 1000} s older than this agent's latest signal`;
    return undefined;
  }
}

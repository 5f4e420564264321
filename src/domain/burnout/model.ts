// Applying signals and played breaks to one agent's state. applySignal mutates the state in place
// (the engine owns it) and is otherwise pure: no clock, no randomness, output depends only on
// (state, signal, config, baselines). The only other effect: a finished interaction is counted into
// `baselines` (the per-organization handle-time medians the handle factor reads).
//
// Decisions beyond the documents (judgement):
// - The load is added and the index emitted at task.ended, not at wrapup_done: the customer part
//   (what strains) is complete and the handle time known; wrap-up is not sent by every platform or
//   channel, and waiting for it would delay the index. Wrap-up still counts as handling for decay.
// - Late information (a per-interaction sentiment score or transcript that arrives during wrap-up)
//   adds the difference it makes to the load; after wrap-up it is ignored.
// - task.transferred ends this agent's part of the contact (wrap-up follows); a later task.ended
//   for it is ignored.
// - Any agent.state signal ends pending wrap-ups (the agent moved on); connected contacts stay.
// - Logging out ends every in-flight contact (connected ones are charged as if ended then).
import type { Signal } from '../signals.ts';
import type { Baselines } from './baselines.ts';
import type { ModelConfig } from './config.ts';
import { levelForLoad } from './levels.ts';
import { derived } from './derived.ts';
import { advance, modeRateA } from './recovery.ts';
import {
  ACUTE_COUNT,
  CHANNEL_VOICE,
  D_A,
  D_BUSY,
  D_C,
  D_MODE,
  D_REST_UNTIL,
  FLAG_ABUSIVE,
  FLAG_ESCALATION,
  FLAG_TARGETED,
  FLAG_TRANSFERRED,
  freeSlot,
  idHash,
  MODE_REST,
  PHASE_CONNECTED,
  PHASE_FREE,
  PHASE_OFFERED,
  PHASE_WRAPUP,
  resetSlot,
  S_CHANNEL,
  S_FLAGS,
  S_HOLD_START,
  S_PHASE,
  S_SCORE,
  S_SENT_N,
  S_SENT_SUM,
  slotOffset,
  type AgentModelState,
  type Level,
} from './state.ts';
import { buildView, totalLoad, type IndexView } from './view.ts';
import {
  addAbuse,
  beginStep,
  channelCode,
  connect,
  endHold,
  findSlot,
  finish,
  NO_TRIGGERS,
  release,
  step,
  takeSlot,
  updateFinished,
  type Trigger,
} from './contacts.ts';
import { changeMode, modeOf } from './modes.ts';

export type { Trigger };

export interface StepOutput {
  /** After each finished interaction (task.ended), after a played break, and whenever the level changes. */
  index?: IndexView;
  levelChanged?: { from: Level; to: Level };
  /** Abuse cluster: offerBreakAt abusive contacts within windowMin → offer-break; alertSupervisorAt → also alert-supervisor. */
  triggers: ReadonlyArray<Trigger>;
}

/** Returned whenever nothing is emitted, so the hot path allocates nothing. */
export const NO_OUTPUT: StepOutput = Object.freeze({ triggers: NO_TRIGGERS });

/**
 * `interactionHash`: idHash(signal.interactionId) when the caller has it already (the intake computes
 * it off the engine's thread: hashing the id is a good share of a signal's cost at 100,000 agents).
 */
export function applySignal(state: AgentModelState, signal: Signal, config: ModelConfig, baselines: Baselines, interactionHash?: number): StepOutput {
  const id = 'interactionId' in signal ? (interactionHash ?? idHash(signal.interactionId)) : -1;
  // Signals arrive in time order; an earlier one is applied at the state's time (elapsed 0).
  const now = signal.time > state.t ? signal.time : state.t;
  advance(state, now, config);
  const levelBefore = state.level;
  beginStep();

  switch (signal.type) {
    case 'task.offered': {
      let i = findSlot(state, id);
      if (i < 0) i = takeSlot(state, now, config, baselines, signal.agentId);
      const d = state.d;
      const o = slotOffset(i);
      const phase = d[o + S_PHASE];
      if (phase === PHASE_FREE) resetSlot(state, i, id, signal.queueId ?? '', channelCode(signal.channel), PHASE_OFFERED, now);
      else if (phase === PHASE_OFFERED) {
        d[o + S_CHANNEL] = channelCode(signal.channel);
        if (signal.queueId !== undefined) state.queues[i] = signal.queueId;
      }
      break;
    }
    case 'task.connected': {
      let i = findSlot(state, id);
      if (i < 0) {
        i = takeSlot(state, now, config, baselines, signal.agentId);
        resetSlot(state, i, id, '', CHANNEL_VOICE, PHASE_OFFERED, now);
      }
      const d = state.d;
      const o = slotOffset(i);
      if (d[o + S_PHASE] !== PHASE_OFFERED) break; // duplicate, or already finished
      if (signal.channel !== undefined) d[o + S_CHANNEL] = channelCode(signal.channel);
      if (signal.queueId !== undefined) state.queues[i] = signal.queueId;
      if (signal.escalation) d[o + S_FLAGS] |= FLAG_ESCALATION;
      connect(state, o, now, config);
      break;
    }
    case 'task.held': {
      const i = findSlot(state, id);
      if (i < 0) break;
      const d = state.d;
      const o = slotOffset(i);
      if (d[o + S_PHASE] === PHASE_CONNECTED && d[o + S_HOLD_START] < 0) d[o + S_HOLD_START] = now;
      break;
    }
    case 'task.resumed': {
      const i = findSlot(state, id);
      if (i >= 0 && state.d[slotOffset(i) + S_PHASE] === PHASE_CONNECTED) endHold(state.d, slotOffset(i), now);
      break;
    }
    case 'task.transferred': {
      const i = findSlot(state, id);
      if (i < 0) break;
      const phase = state.d[slotOffset(i) + S_PHASE];
      if (phase === PHASE_CONNECTED) {
        state.d[slotOffset(i) + S_FLAGS] |= FLAG_TRANSFERRED;
        finish(state, i, now, config, baselines, signal.agentId);
      } else if (phase === PHASE_WRAPUP) {
        updateFinished(state, i, FLAG_TRANSFERRED, 0, 0, 0, config);
      }
      break;
    }
    case 'task.ended': {
      const i = findSlot(state, id);
      if (i < 0) break;
      const phase = state.d[slotOffset(i) + S_PHASE];
      if (phase === PHASE_CONNECTED) finish(state, i, now, config, baselines, signal.agentId);
      else if (phase === PHASE_OFFERED) freeSlot(state, i); // missed or abandoned while ringing: no load
      break;
    }
    case 'task.wrapup_done': {
      const i = findSlot(state, id);
      if (i < 0) break;
      const o = slotOffset(i);
      if (state.d[o + S_PHASE] === PHASE_CONNECTED) finish(state, i, now, config, baselines, signal.agentId);
      const phase = state.d[o + S_PHASE];
      if (phase === PHASE_WRAPUP) release(state, i, now);
      else if (phase === PHASE_OFFERED) freeSlot(state, i);
      break;
    }
    case 'utterance': {
      if (signal.speaker !== 'customer') break; // the agent's own words are not strain on the agent
      const i = findSlot(state, id);
      if (i < 0) break;
      const d = state.d;
      const o = slotOffset(i);
      const phase = d[o + S_PHASE];
      if (phase !== PHASE_CONNECTED && phase !== PHASE_WRAPUP) break;
      const abuseFlags = signal.targeted ? FLAG_TARGETED : signal.abusive ? FLAG_ABUSIVE : 0;
      const sentiment = signal.sentiment;
      if (phase === PHASE_WRAPUP) {
        updateFinished(state, i, abuseFlags, sentiment !== undefined ? sentiment : 0, sentiment !== undefined ? 1 : 0, 0, config);
      } else {
        if (sentiment !== undefined) {
          d[o + S_SENT_SUM] += sentiment;
          d[o + S_SENT_N]++;
        }
        addAbuse(state, o, abuseFlags, now, config);
      }
      break;
    }
    case 'sentiment': {
      const i = findSlot(state, id);
      if (i < 0) break;
      const d = state.d;
      const o = slotOffset(i);
      const phase = d[o + S_PHASE];
      if (phase === PHASE_CONNECTED) d[o + S_SCORE] = Math.min(d[o + S_SCORE], signal.score) + 0; // + 0: no −0 in a snapshot
      else if (phase === PHASE_WRAPUP) updateFinished(state, i, 0, 0, 0, signal.score, config);
      break;
    }
    case 'agent.state': {
      changeMode(state, modeOf(signal.state, signal.idleCode, config), now, config, baselines, signal.agentId);
      break;
    }
    case 'survey':
      // CSAT is not a strain input in the evidence (MODEL-EVIDENCE §2); it only advances the clock.
      break;
  }
  return output(state, levelBefore, config, step.finished);
}

/**
 * A break an app recorded as played ("Break Played"): the span [startMs, startMs + durationMs]
 * recovers at the rest half-life — time in the fast-recovery state, so its length matters; never an
 * instant reset. Handling a contact during the span wins (no credit). The part of the span that lies
 * before the state's time was already decayed at the mode of that time; it gets the difference to
 * the rest rate (the platform may have reported the break as a rest idle code already, then the
 * difference is 0). The part after the state's time is credited as time passes (restUntil).
 * Returns the index as of the state's time (always present: an intervention's before/after).
 */
export function applyBreak(state: AgentModelState, startMs: number, durationMs: number, config: ModelConfig): StepOutput {
  if (startMs > state.t) advance(state, startMs, config);
  const levelBefore = state.level;
  beginStep();
  const d = state.d;
  const endMs = startMs + Math.max(0, durationMs);
  const overlap = Math.min(endMs, state.t) - startMs;
  if (overlap > 0 && d[D_BUSY] === 0 && !(d[D_REST_UNTIL] >= state.t) && d[D_MODE] !== MODE_REST) {
    const extra = Math.exp(-(derived(config).rest - modeRateA(d[D_MODE], config)) * overlap);
    for (let f = D_A; f < D_A + ACUTE_COUNT; f++) d[f] = d[f] * extra + 0;
  }
  if (endMs > d[D_REST_UNTIL]) d[D_REST_UNTIL] = endMs;
  return output(state, levelBefore, config, true);
}

/**
 * Decays the state to `now` and records a level change it causes (e.g. during a long break, when no
 * signal arrives). For the engine's periodic sweep; returns NO_OUTPUT when the level is unchanged.
 */
export function advanceTo(state: AgentModelState, now: number, config: ModelConfig): StepOutput {
  advance(state, now, config);
  beginStep();
  return output(state, state.level, config, false);
}

function output(state: AgentModelState, levelBefore: Level, config: ModelConfig, withIndex: boolean): StepOutput {
  const level = levelForLoad(state.level, totalLoad(state), config);
  if (level === levelBefore && !withIndex && step.triggers === NO_TRIGGERS) return NO_OUTPUT;
  state.level = level;
  const out: StepOutput = { triggers: step.triggers };
  if (withIndex || level !== levelBefore) out.index = buildView(state.d, 1, state.d[D_C], level, config);
  if (level !== levelBefore) out.levelChanged = { from: levelBefore, to: level };
  return out;
}

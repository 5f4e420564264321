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
import { contactLoad, handleFactor, isAbusive, sentimentSeverity, severityFlag, streakFactor } from './load.ts';
import { levelForLoad } from './levels.ts';
import { derived } from './derived.ts';
import { advance, endWrapups, modeRateA, moveAtShiftEnd } from './recovery.ts';
import {
  ACUTE_COUNT,
  CHANNEL_CHAT,
  CHANNEL_EMAIL,
  CHANNEL_NAMES,
  CHANNEL_VOICE,
  D_A,
  D_BUSY,
  D_C,
  D_DAY_ABUSE,
  D_EXCLUDED_SINCE,
  D_FREE_SINCE,
  D_LOGGED_OUT_SINCE,
  D_MODE,
  D_REST_UNTIL,
  D_SLOTS,
  D_STREAK_START,
  FLAG_ABUSIVE,
  FLAG_ESCALATION,
  FLAG_TARGETED,
  FLAG_TRANSFERRED,
  freeSlot,
  growSlots,
  idHash,
  MODE_AVAILABLE,
  MODE_EXCLUDED,
  MODE_LOGGED_OUT,
  MODE_REST,
  PHASE_CONNECTED,
  PHASE_FREE,
  PHASE_OFFERED,
  PHASE_WRAPUP,
  resetSlot,
  S_CHANNEL,
  S_END,
  S_FLAGS,
  S_HANDLE_FACTOR,
  S_HOLD_MS,
  S_HOLD_START,
  S_ID,
  S_PEERS,
  S_PHASE,
  S_SCORE,
  S_SENT_N,
  S_SENT_SUM,
  S_START,
  S_STREAK_FACTOR,
  SLOT_SIZE,
  slotCount,
  slotOffset,
  type AgentModelState,
  type Level,
} from './state.ts';
import { buildView, totalLoad, type IndexView } from './view.ts';

export type Trigger = 'offer-break' | 'alert-supervisor';

export interface StepOutput {
  /** After each finished interaction (task.ended), after a played break, and whenever the level changes. */
  index?: IndexView;
  levelChanged?: { from: Level; to: Level };
  /** Abuse cluster: offerBreakAt abusive contacts within windowMin → offer-break; alertSupervisorAt → also alert-supervisor. */
  triggers: ReadonlyArray<Trigger>;
}

const NO_TRIGGERS: ReadonlyArray<Trigger> = Object.freeze([]);
const OFFER_BREAK: ReadonlyArray<Trigger> = Object.freeze(['offer-break'] as Trigger[]);
const OFFER_AND_ALERT: ReadonlyArray<Trigger> = Object.freeze(['offer-break', 'alert-supervisor'] as Trigger[]);
/** Returned whenever nothing is emitted, so the hot path allocates nothing. */
export const NO_OUTPUT: StepOutput = Object.freeze({ triggers: NO_TRIGGERS });

/** More concurrent contacts than this are not realistic; the oldest is then ended (lost signals). */
const MAX_CONTACTS = 6;
const MINUTE = 60_000;

/** Scratch buffers for load splits (one call at a time: the model is synchronous). */
const loadParts = new Float64Array(ACUTE_COUNT);
const previousParts = new Float64Array(ACUTE_COUNT);

/** Per-step flags, reset at each entry point (module scope to avoid allocating a context object). */
let finished = false;
let triggers: ReadonlyArray<Trigger> = NO_TRIGGERS;

// Contacts are addressed by slot number i (queues[i] is the contact's queue) and, for their numbers,
// by the slot's offset o = slotOffset(i) in state.d.

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
  finished = false;
  triggers = NO_TRIGGERS;

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
  return output(state, levelBefore, config, finished);
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
  finished = false;
  triggers = NO_TRIGGERS;
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
  finished = false;
  triggers = NO_TRIGGERS;
  return output(state, state.level, config, false);
}

function output(state: AgentModelState, levelBefore: Level, config: ModelConfig, withIndex: boolean): StepOutput {
  const level = levelForLoad(state.level, totalLoad(state), config);
  if (level === levelBefore && !withIndex && triggers === NO_TRIGGERS) return NO_OUTPUT;
  state.level = level;
  const out: StepOutput = { triggers };
  if (withIndex || level !== levelBefore) out.index = buildView(state.d, 1, state.d[D_C], level, config);
  if (level !== levelBefore) out.levelChanged = { from: levelBefore, to: level };
  return out;
}

function connect(state: AgentModelState, o: number, now: number, config: ModelConfig): void {
  const d = state.d;
  if (d[D_BUSY] === 0 && (d[D_FREE_SINCE] < 0 || now - d[D_FREE_SINCE] >= derived(config).streakResetMs)) {
    d[D_STREAK_START] = now; // a pause of ≥ resetGapMin since the last contact starts a new streak
  }
  d[o + S_PHASE] = PHASE_CONNECTED;
  d[o + S_START] = now;
  d[D_BUSY]++;
  if (d[o + S_CHANNEL] === CHANNEL_CHAT) {
    let chats = 0;
    for (let p = D_SLOTS; p < d.length; p += SLOT_SIZE) if (d[p + S_PHASE] === PHASE_CONNECTED && d[p + S_CHANNEL] === CHANNEL_CHAT) chats++;
    for (let p = D_SLOTS; p < d.length; p += SLOT_SIZE) {
      if (d[p + S_PHASE] === PHASE_CONNECTED && d[p + S_CHANNEL] === CHANNEL_CHAT && d[p + S_PEERS] < chats) d[p + S_PEERS] = chats;
    }
  }
}

function endHold(d: number[], o: number, now: number): void {
  if (d[o + S_HOLD_START] < 0) return;
  d[o + S_HOLD_MS] += now - d[o + S_HOLD_START];
  d[o + S_HOLD_START] = -1;
}

/** The customer part of a contact is over: charge its load to A and enter wrap-up. */
function finish(state: AgentModelState, i: number, now: number, config: ModelConfig, baselines: Baselines, agentId: string): void {
  const d = state.d;
  const o = slotOffset(i);
  endHold(d, o, now);
  const channel = CHANNEL_NAMES[d[o + S_CHANNEL]];
  const durationMs = now - d[o + S_START];
  const median = baselines.observe(agentId, channel, state.queues[i], durationMs, now, config);
  d[o + S_HANDLE_FACTOR] = handleFactor(durationMs, median, config);
  d[o + S_STREAK_FACTOR] = streakFactor(now - d[D_STREAK_START], config);
  const load = contactLoad(d, o, config, loadParts);
  addParts(d, loadParts);
  if (isAbusive(d, o)) d[D_DAY_ABUSE] += load;
  else d[o + S_FLAGS] |= severityFlag(sentimentSeverity(d, o, config));
  d[o + S_PHASE] = PHASE_WRAPUP;
  d[o + S_END] = now;
  finished = true;
}

/**
 * Late information about a contact in wrap-up: add the difference it makes to the load. Flags only
 * get set and severity never drops, so the difference is never negative.
 */
function updateFinished(state: AgentModelState, i: number, addFlags: number, utteranceSentiment: number, utteranceCount: number, score: number, config: ModelConfig): void {
  const d = state.d;
  const o = slotOffset(i);
  const before = contactLoad(d, o, config, previousParts);
  const wasAbusive = isAbusive(d, o);
  d[o + S_SENT_SUM] += utteranceSentiment;
  d[o + S_SENT_N] += utteranceCount;
  d[o + S_SCORE] = Math.min(d[o + S_SCORE], score) + 0;
  addAbuse(state, o, addFlags & (FLAG_ABUSIVE | FLAG_TARGETED), state.t, config);
  d[o + S_FLAGS] |= addFlags & ~(FLAG_ABUSIVE | FLAG_TARGETED);
  const after = contactLoad(d, o, config, loadParts);
  if (!(after > before)) return;
  for (let f = 0; f < ACUTE_COUNT; f++) loadParts[f] -= previousParts[f];
  addParts(d, loadParts);
  const abusive = isAbusive(d, o);
  d[D_DAY_ABUSE] += (abusive ? after : 0) - (wasAbusive ? before : 0);
  if (!abusive) d[o + S_FLAGS] |= severityFlag(sentimentSeverity(d, o, config));
  finished = true;
}

/** Marks abuse on a contact; the first abuse of a contact counts towards the abuse cluster. */
function addAbuse(state: AgentModelState, o: number, abuseFlags: number, now: number, config: ModelConfig): void {
  if (abuseFlags === 0) return;
  const d = state.d;
  const first = !isAbusive(d, o);
  d[o + S_FLAGS] |= abuseFlags;
  if (!first) return;
  const c = config.abuseCluster;
  const keep = Math.max(c.offerBreakAt, c.alertSupervisorAt);
  const times = state.abuse;
  times.push(now);
  while (times.length > keep) times.shift();
  const windowStart = now - c.windowMin * MINUTE;
  let recent = 0;
  for (let k = 0; k < times.length; k++) if (times[k] > windowStart) recent++;
  if (recent >= c.alertSupervisorAt) triggers = OFFER_AND_ALERT;
  else if (recent >= c.offerBreakAt) triggers = OFFER_BREAK;
}

function addParts(d: number[], parts: Float64Array): void {
  for (let f = 0; f < ACUTE_COUNT; f++) d[D_A + f] += parts[f];
}

function release(state: AgentModelState, i: number, now: number): void {
  freeSlot(state, i);
  const d = state.d;
  d[D_BUSY]--;
  if (d[D_BUSY] <= 0) {
    d[D_BUSY] = 0;
    d[D_FREE_SINCE] = now;
  }
}

/** The slot of an interaction (by idHash), −1 if none. */
function findSlot(state: AgentModelState, id: number): number {
  const d = state.d;
  for (let i = 0, o = D_SLOTS + S_ID; o < d.length; i++, o += SLOT_SIZE) if (d[o] === id) return i;
  return -1;
}

/** A free slot for a new contact: reuse one, add one, or end the oldest contact (lost signals). */
function takeSlot(state: AgentModelState, now: number, config: ModelConfig, baselines: Baselines, agentId: string): number {
  const count = slotCount(state);
  for (let i = 0; i < count; i++) if (state.d[slotOffset(i) + S_PHASE] === PHASE_FREE) return i;
  if (count < MAX_CONTACTS) {
    growSlots(state);
    return count;
  }
  let oldest = 0;
  for (let i = 1; i < count; i++) if (state.d[slotOffset(i) + S_START] < state.d[slotOffset(oldest) + S_START]) oldest = i;
  const o = slotOffset(oldest);
  if (state.d[o + S_PHASE] === PHASE_CONNECTED) finish(state, oldest, now, config, baselines, agentId);
  if (state.d[o + S_PHASE] === PHASE_WRAPUP) release(state, oldest, now);
  else freeSlot(state, oldest);
  return oldest;
}

function channelCode(channel: string | undefined): number {
  return channel === 'chat' ? CHANNEL_CHAT : channel === 'email' ? CHANNEL_EMAIL : CHANNEL_VOICE;
}

function modeOf(kind: string, idleCode: string | undefined, config: ModelConfig): number {
  if (kind === 'logged_out') return MODE_LOGGED_OUT;
  if (idleCode !== undefined) {
    const ic = config.idleCodes;
    if (Object.hasOwn(ic.inclusion, idleCode) && ic.inclusion[idleCode] === 'EXCLUDED') return MODE_EXCLUDED;
    if (ic.restCodes.includes(idleCode)) return MODE_REST;
  }
  if (kind === 'break') return MODE_REST;
  return MODE_AVAILABLE;
}

function changeMode(state: AgentModelState, mode: number, now: number, config: ModelConfig, baselines: Baselines, agentId: string): void {
  const d = state.d;
  if (d[D_BUSY] > 0) endWrapups(state, now);
  const previous = d[D_MODE];
  if (previous === MODE_EXCLUDED && mode !== MODE_EXCLUDED) {
    // Excluded time does not enter the model: shift the clocks that measure engagement past it.
    const excluded = now - d[D_EXCLUDED_SINCE];
    d[D_STREAK_START] += excluded;
    if (d[D_FREE_SINCE] >= 0) d[D_FREE_SINCE] += excluded;
  }
  if (mode === MODE_EXCLUDED && previous !== MODE_EXCLUDED) d[D_EXCLUDED_SINCE] = now;
  if (mode === MODE_LOGGED_OUT && previous !== MODE_LOGGED_OUT) {
    for (let i = 0; i < slotCount(state); i++) {
      const o = slotOffset(i);
      if (d[o + S_PHASE] === PHASE_CONNECTED) finish(state, i, now, config, baselines, agentId);
      if (d[o + S_PHASE] === PHASE_WRAPUP) release(state, i, now);
      else freeSlot(state, i);
    }
    moveAtShiftEnd(state, config);
    d[D_LOGGED_OUT_SINCE] = now;
    d[D_FREE_SINCE] = now;
  }
  d[D_MODE] = mode;
}

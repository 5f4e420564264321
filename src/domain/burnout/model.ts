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
  emptySlot,
  FLAG_ABUSIVE,
  FLAG_ESCALATION,
  FLAG_TARGETED,
  FLAG_TRANSFERRED,
  MODE_AVAILABLE,
  MODE_EXCLUDED,
  MODE_LOGGED_OUT,
  MODE_REST,
  PHASE_CONNECTED,
  PHASE_FREE,
  PHASE_OFFERED,
  PHASE_WRAPUP,
  resetSlot,
  type AgentModelState,
  type ContactSlot,
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

export function applySignal(state: AgentModelState, signal: Signal, config: ModelConfig, baselines: Baselines): StepOutput {
  // Signals arrive in time order; an earlier one is applied at the state's time (elapsed 0).
  const now = signal.time > state.t ? signal.time : state.t;
  advance(state, now, config);
  const levelBefore = state.level;
  finished = false;
  triggers = NO_TRIGGERS;

  switch (signal.type) {
    case 'task.offered': {
      const slot = findSlot(state, signal.interactionId) ?? takeSlot(state, now, config, baselines, signal.agentId);
      if (slot.phase === PHASE_FREE) resetSlot(slot, signal.interactionId, signal.queueId ?? '', channelCode(signal.channel), PHASE_OFFERED, now);
      else if (slot.phase === PHASE_OFFERED) {
        slot.channel = channelCode(signal.channel);
        if (signal.queueId !== undefined) slot.queue = signal.queueId;
      }
      break;
    }
    case 'task.connected': {
      let slot = findSlot(state, signal.interactionId);
      if (slot === undefined) {
        slot = takeSlot(state, now, config, baselines, signal.agentId);
        resetSlot(slot, signal.interactionId, '', CHANNEL_VOICE, PHASE_OFFERED, now);
      }
      if (slot.phase !== PHASE_OFFERED) break; // duplicate, or already finished
      if (signal.channel !== undefined) slot.channel = channelCode(signal.channel);
      if (signal.queueId !== undefined) slot.queue = signal.queueId;
      if (signal.escalation) slot.flags |= FLAG_ESCALATION;
      connect(state, slot, now, config);
      break;
    }
    case 'task.held': {
      const slot = findSlot(state, signal.interactionId);
      if (slot !== undefined && slot.phase === PHASE_CONNECTED && slot.holdStart < 0) slot.holdStart = now;
      break;
    }
    case 'task.resumed': {
      const slot = findSlot(state, signal.interactionId);
      if (slot !== undefined && slot.phase === PHASE_CONNECTED) endHold(slot, now);
      break;
    }
    case 'task.transferred': {
      const slot = findSlot(state, signal.interactionId);
      if (slot === undefined) break;
      if (slot.phase === PHASE_CONNECTED) {
        slot.flags |= FLAG_TRANSFERRED;
        finish(state, slot, now, config, baselines, signal.agentId);
      } else if (slot.phase === PHASE_WRAPUP) {
        updateFinished(state, slot, FLAG_TRANSFERRED, 0, 0, 0, config);
      }
      break;
    }
    case 'task.ended': {
      const slot = findSlot(state, signal.interactionId);
      if (slot === undefined) break;
      if (slot.phase === PHASE_CONNECTED) finish(state, slot, now, config, baselines, signal.agentId);
      else if (slot.phase === PHASE_OFFERED) freeSlot(slot); // missed or abandoned while ringing: no load
      break;
    }
    case 'task.wrapup_done': {
      const slot = findSlot(state, signal.interactionId);
      if (slot === undefined) break;
      if (slot.phase === PHASE_CONNECTED) finish(state, slot, now, config, baselines, signal.agentId);
      if (slot.phase === PHASE_WRAPUP) release(state, slot, now);
      else if (slot.phase === PHASE_OFFERED) freeSlot(slot);
      break;
    }
    case 'utterance': {
      if (signal.speaker !== 'customer') break; // the agent's own words are not strain on the agent
      const slot = findSlot(state, signal.interactionId);
      if (slot === undefined || (slot.phase !== PHASE_CONNECTED && slot.phase !== PHASE_WRAPUP)) break;
      const abuseFlags = signal.targeted ? FLAG_TARGETED : signal.abusive ? FLAG_ABUSIVE : 0;
      const hasSentiment = signal.sentiment !== undefined;
      if (slot.phase === PHASE_WRAPUP) {
        updateFinished(state, slot, abuseFlags, hasSentiment ? signal.sentiment! : 0, hasSentiment ? 1 : 0, 0, config);
      } else {
        if (hasSentiment) {
          slot.sentSum += signal.sentiment!;
          slot.sentN++;
        }
        addAbuse(state, slot, abuseFlags, now, config);
      }
      break;
    }
    case 'sentiment': {
      const slot = findSlot(state, signal.interactionId);
      if (slot === undefined) break;
      if (slot.phase === PHASE_CONNECTED) slot.score = Math.min(slot.score, signal.score) + 0; // + 0: no −0 in a snapshot
      else if (slot.phase === PHASE_WRAPUP) updateFinished(state, slot, 0, 0, 0, signal.score, config);
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
  const endMs = startMs + Math.max(0, durationMs);
  const overlap = Math.min(endMs, state.t) - startMs;
  if (overlap > 0 && state.busy === 0 && !(state.restUntil >= state.t) && state.mode !== MODE_REST) {
    const extra = Math.exp(-(derived(config).rest - modeRateA(state.mode, config)) * overlap);
    for (let i = 0; i < state.a.length; i++) state.a[i] = state.a[i] * extra + 0;
  }
  if (endMs > state.restUntil) state.restUntil = endMs;
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
  if (withIndex || level !== levelBefore) out.index = buildView(state.a, 1, state.c, level, config);
  if (level !== levelBefore) out.levelChanged = { from: levelBefore, to: level };
  return out;
}

function connect(state: AgentModelState, slot: ContactSlot, now: number, config: ModelConfig): void {
  if (state.busy === 0 && (state.freeSince < 0 || now - state.freeSince >= derived(config).streakResetMs)) {
    state.streakStart = now; // a pause of ≥ resetGapMin since the last contact starts a new streak
  }
  slot.phase = PHASE_CONNECTED;
  slot.start = now;
  state.busy++;
  if (slot.channel === CHANNEL_CHAT) {
    let chats = 0;
    for (const other of state.contacts) if (other.phase === PHASE_CONNECTED && other.channel === CHANNEL_CHAT) chats++;
    for (const other of state.contacts) {
      if (other.phase === PHASE_CONNECTED && other.channel === CHANNEL_CHAT && other.peers < chats) other.peers = chats;
    }
  }
}

function endHold(slot: ContactSlot, now: number): void {
  if (slot.holdStart < 0) return;
  slot.holdMs += now - slot.holdStart;
  slot.holdStart = -1;
}

/** The customer part of a contact is over: charge its load to A and enter wrap-up. */
function finish(state: AgentModelState, slot: ContactSlot, now: number, config: ModelConfig, baselines: Baselines, agentId: string): void {
  endHold(slot, now);
  const channel = CHANNEL_NAMES[slot.channel];
  const durationMs = now - slot.start;
  const median = baselines.observe(agentId, channel, slot.queue, durationMs, now, config);
  slot.handleFactor = handleFactor(durationMs, median, config);
  slot.streakFactor = streakFactor(now - state.streakStart, config);
  const load = contactLoad(slot, config, loadParts);
  addParts(state, loadParts, 1);
  if (isAbusive(slot)) state.dayAbuse += load;
  else slot.flags |= severityFlag(sentimentSeverity(slot, config));
  slot.phase = PHASE_WRAPUP;
  slot.end = now;
  finished = true;
}

/**
 * Late information about a contact in wrap-up: add the difference it makes to the load. Flags only
 * get set and severity never drops, so the difference is never negative.
 */
function updateFinished(state: AgentModelState, slot: ContactSlot, addFlags: number, utteranceSentiment: number, utteranceCount: number, score: number, config: ModelConfig): void {
  const before = contactLoad(slot, config, previousParts);
  const wasAbusive = isAbusive(slot);
  slot.sentSum += utteranceSentiment;
  slot.sentN += utteranceCount;
  slot.score = Math.min(slot.score, score) + 0;
  addAbuse(state, slot, addFlags & (FLAG_ABUSIVE | FLAG_TARGETED), state.t, config);
  slot.flags |= addFlags & ~(FLAG_ABUSIVE | FLAG_TARGETED);
  const after = contactLoad(slot, config, loadParts);
  if (!(after > before)) return;
  for (let i = 0; i < loadParts.length; i++) loadParts[i] -= previousParts[i];
  addParts(state, loadParts, 1);
  state.dayAbuse += (isAbusive(slot) ? after : 0) - (wasAbusive ? before : 0);
  if (!isAbusive(slot)) slot.flags |= severityFlag(sentimentSeverity(slot, config));
  finished = true;
}

/** Marks abuse on a contact; the first abuse of a contact counts towards the abuse cluster. */
function addAbuse(state: AgentModelState, slot: ContactSlot, abuseFlags: number, now: number, config: ModelConfig): void {
  if (abuseFlags === 0) return;
  const first = !isAbusive(slot);
  slot.flags |= abuseFlags;
  if (!first) return;
  const c = config.abuseCluster;
  const keep = Math.max(c.offerBreakAt, c.alertSupervisorAt);
  const times = state.abuse;
  times.push(now);
  while (times.length > keep) times.shift();
  const windowStart = now - c.windowMin * MINUTE;
  let recent = 0;
  for (const t of times) if (t > windowStart) recent++;
  if (recent >= c.alertSupervisorAt) triggers = OFFER_AND_ALERT;
  else if (recent >= c.offerBreakAt) triggers = OFFER_BREAK;
}

function addParts(state: AgentModelState, parts: Float64Array, sign: number): void {
  const a = state.a;
  for (let i = 0; i < a.length; i++) a[i] += sign * parts[i];
}

function release(state: AgentModelState, slot: ContactSlot, now: number): void {
  freeSlot(slot);
  state.busy--;
  if (state.busy <= 0) {
    state.busy = 0;
    state.freeSince = now;
  }
}

function freeSlot(slot: ContactSlot): void {
  slot.phase = PHASE_FREE;
  slot.id = '';
}

function findSlot(state: AgentModelState, id: string): ContactSlot | undefined {
  const contacts = state.contacts;
  for (let i = 0; i < contacts.length; i++) if (contacts[i].id === id) return contacts[i];
  return undefined;
}

/** A free slot for a new contact: reuse one, grow the list, or end the oldest contact (lost signals). */
function takeSlot(state: AgentModelState, now: number, config: ModelConfig, baselines: Baselines, agentId: string): ContactSlot {
  const contacts = state.contacts;
  for (let i = 0; i < contacts.length; i++) if (contacts[i].phase === PHASE_FREE) return contacts[i];
  if (contacts.length < MAX_CONTACTS) {
    const slot = emptySlot();
    contacts.push(slot);
    return slot;
  }
  let oldest = contacts[0];
  for (const slot of contacts) if (slot.start < oldest.start) oldest = slot;
  if (oldest.phase === PHASE_CONNECTED) finish(state, oldest, now, config, baselines, agentId);
  if (oldest.phase === PHASE_WRAPUP) release(state, oldest, now);
  else freeSlot(oldest);
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
  if (state.busy > 0) endWrapups(state, now);
  const previous = state.mode;
  if (previous === MODE_EXCLUDED && mode !== MODE_EXCLUDED) {
    // Excluded time does not enter the model: shift the clocks that measure engagement past it.
    const excluded = now - state.excludedSince;
    state.streakStart += excluded;
    if (state.freeSince >= 0) state.freeSince += excluded;
  }
  if (mode === MODE_EXCLUDED && previous !== MODE_EXCLUDED) state.excludedSince = now;
  if (mode === MODE_LOGGED_OUT && previous !== MODE_LOGGED_OUT) {
    for (const slot of state.contacts) {
      if (slot.phase === PHASE_CONNECTED) finish(state, slot, now, config, baselines, agentId);
      if (slot.phase === PHASE_WRAPUP) release(state, slot, now);
      else freeSlot(slot);
    }
    moveAtShiftEnd(state, config);
    state.loggedOutSince = now;
    state.freeSince = now;
  }
  state.mode = mode;
}

// One contact's life inside an agent's state: ringing, connected, held, finished (its load charged to
// the acute reservoir), wrap-up, released; and the abuse cluster it may trigger. Used by model.ts
// (signals) and modes.ts (agent state changes); pure like them.
import type { Baselines } from './baselines.ts';
import type { ModelConfig } from './config.ts';
import {
  contactLoad,
  handleFactor,
  isAbusive,
  sentimentSeverity,
  severityFlag,
  streakFactor,
} from './load.ts';
import { derived } from './derived.ts';
import {
  ACUTE_COUNT,
  CHANNEL_CHAT,
  CHANNEL_EMAIL,
  CHANNEL_NAMES,
  CHANNEL_VOICE,
  D_A,
  D_BUSY,
  D_DAY_ABUSE,
  D_FREE_SINCE,
  D_SLOTS,
  D_STREAK_START,
  FLAG_ABUSIVE,
  FLAG_TARGETED,
  freeSlot,
  growSlots,
  PHASE_CONNECTED,
  PHASE_FREE,
  PHASE_WRAPUP,
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
} from './state.ts';

export type Trigger = 'offer-break' | 'alert-supervisor';

export const NO_TRIGGERS: ReadonlyArray<Trigger> = Object.freeze([]);
const OFFER_BREAK: ReadonlyArray<Trigger> = Object.freeze(['offer-break'] as Trigger[]);
const OFFER_AND_ALERT: ReadonlyArray<Trigger> = Object.freeze(['offer-break', 'alert-supervisor'] as Trigger[]);

/**
 * What the current step did beyond the state: a contact finished (its load was added), a trigger
 * fired. Reset by beginStep at each entry point; one module-level object, not a context allocated
 * per signal (the model is synchronous: one step at a time).
 */
export const step = { finished: false, triggers: NO_TRIGGERS };

export function beginStep(): void {
  step.finished = false;
  step.triggers = NO_TRIGGERS;
}

/** More concurrent contacts than this are not realistic; the oldest is then ended (lost signals). */
const MAX_CONTACTS = 6;
const MINUTE = 60_000;

/** Scratch buffers for load splits (one call at a time: the model is synchronous). */
const loadParts = new Float64Array(ACUTE_COUNT);
const previousParts = new Float64Array(ACUTE_COUNT);

// Contacts are addressed by slot number i (queues[i] is the contact's queue) and, for their numbers,
// by the slot's offset o = slotOffset(i) in state.d.

export function connect(state: AgentModelState, o: number, now: number, config: ModelConfig): void {
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

export function endHold(d: number[], o: number, now: number): void {
  if (d[o + S_HOLD_START] < 0) return;
  d[o + S_HOLD_MS] += now - d[o + S_HOLD_START];
  d[o + S_HOLD_START] = -1;
}

/** The customer part of a contact is over: charge its load to A and enter wrap-up. */
export function finish(state: AgentModelState, i: number, now: number, config: ModelConfig, baselines: Baselines, agentId: string): void {
  const d = state.d;
  const o = slotOffset(i);
  endHold(d, o, now);
  const channel = CHANNEL_NAMES[d[o + S_CHANNEL]];
  const durationMs = now - d[o + S_START];
  const median = baselines.observe(agentId, state, channel, state.queues[i], durationMs, now, config);
  d[o + S_HANDLE_FACTOR] = handleFactor(durationMs, median, config);
  d[o + S_STREAK_FACTOR] = streakFactor(now - d[D_STREAK_START], config);
  const load = contactLoad(d, o, config, loadParts);
  addParts(d, loadParts);
  if (isAbusive(d, o)) d[D_DAY_ABUSE] += load;
  else d[o + S_FLAGS] |= severityFlag(sentimentSeverity(d, o, config));
  d[o + S_PHASE] = PHASE_WRAPUP;
  d[o + S_END] = now;
  step.finished = true;
}

/**
 * Late information about a contact in wrap-up: add the difference it makes to the load. Flags only
 * get set and severity never drops, so the difference is never negative.
 */
export function updateFinished(state: AgentModelState, i: number, addFlags: number, utteranceSentiment: number, utteranceCount: number, score: number, config: ModelConfig): void {
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
  step.finished = true;
}

/** Marks abuse on a contact; the first abuse of a contact counts towards the abuse cluster. */
export function addAbuse(state: AgentModelState, o: number, abuseFlags: number, now: number, config: ModelConfig): void {
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
  if (recent >= c.alertSupervisorAt) step.triggers = OFFER_AND_ALERT;
  else if (recent >= c.offerBreakAt) step.triggers = OFFER_BREAK;
}

function addParts(d: number[], parts: Float64Array): void {
  for (let f = 0; f < ACUTE_COUNT; f++) d[D_A + f] += parts[f];
}

export function release(state: AgentModelState, i: number, now: number): void {
  freeSlot(state, i);
  const d = state.d;
  d[D_BUSY]--;
  if (d[D_BUSY] <= 0) {
    d[D_BUSY] = 0;
    d[D_FREE_SINCE] = now;
  }
}

/** The slot of an interaction (by idHash), −1 if none. */
export function findSlot(state: AgentModelState, id: number): number {
  const d = state.d;
  for (let i = 0, o = D_SLOTS + S_ID; o < d.length; i++, o += SLOT_SIZE) if (d[o] === id) return i;
  return -1;
}

/** A free slot for a new contact: reuse one, add one, or end the oldest contact (lost signals). */
export function takeSlot(state: AgentModelState, now: number, config: ModelConfig, baselines: Baselines, agentId: string): number {
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

export function channelCode(channel: string | undefined): number {
  return channel === 'chat' ? CHANNEL_CHAT : channel === 'email' ? CHANNEL_EMAIL : CHANNEL_VOICE;
}

// The load of one finished interaction and its split over the factors (MODEL-EVIDENCE §2):
//   load = channel base × handle factor × min(difficulty product, cap) × streak factor
// The split is sequential so the parts add up to the load exactly:
//   base        = channel base
//   handleTime  = base × (handle − 1)                (negative for a contact shorter than the median)
//   difficulty  = base × handle × (min(product, cap) − 1), shared among the multipliers in proportion
//                 to their logarithms (all multipliers are ≥ 1, so every share is ≥ 0)
//   streak      = base × handle × difficulty × (streak − 1)
import type { ModelConfig } from './config.ts';
import {
  CHANNEL_CHAT,
  CHANNEL_EMAIL,
  F_ABUSE,
  F_BASE,
  F_ESCALATION,
  F_HANDLE,
  F_HOLD,
  F_NEGATIVE,
  F_STREAK,
  F_TARGETED,
  F_TRANSFER,
  FLAG_ABUSIVE,
  FLAG_ESCALATION,
  FLAG_NEGATIVE_MILD,
  FLAG_NEGATIVE_STRONG,
  FLAG_TARGETED,
  FLAG_TRANSFERRED,
  S_CHANNEL,
  S_FLAGS,
  S_HANDLE_FACTOR,
  S_HOLD_MS,
  S_PEERS,
  S_SCORE,
  S_SENT_N,
  S_SENT_SUM,
  S_STREAK_FACTOR,
} from './state.ts';

// A contact is addressed as (d, o): the agent's numbers and the offset of the contact's slot in them.

export const SEVERITY_NONE = 0;
export const SEVERITY_MILD = 1;
export const SEVERITY_STRONG = 2;

export function channelBase(d: readonly number[], o: number, config: ModelConfig): number {
  const ch = config.channel;
  const channel = d[o + S_CHANNEL];
  if (channel === CHANNEL_CHAT) {
    const extra = Math.max(0, d[o + S_PEERS] - ch.chatFreeConcurrency);
    return ch.chat * (1 + ch.chatConcurrencyStep * extra);
  }
  return channel === CHANNEL_EMAIL ? ch.email : ch.voice;
}

/** sqrt(min(duration, cap × median) / median): concave and capped so one marathon call cannot dominate. */
export function handleFactor(durationMs: number, medianMs: number, config: ModelConfig): number {
  if (!(medianMs > 0)) return 1;
  const capped = Math.min(Math.max(durationMs, 0), config.handle.capMultiple * medianMs);
  return Math.sqrt(capped / medianMs);
}

/** ×1 for the first flatMin minutes of continuous engagement, linear to ×max at fullMin, flat after. */
export function streakFactor(engagedMs: number, config: ModelConfig): number {
  const s = config.streak;
  const minutes = engagedMs / 60_000;
  if (minutes <= s.flatMin) return 1;
  if (minutes >= s.fullMin) return s.max;
  return 1 + ((s.max - 1) * (minutes - s.flatMin)) / (s.fullMin - s.flatMin);
}

/**
 * Negative-sentiment severity of a contact. Two sources: the mean of the customer's utterance
 * sentiment and the per-interaction `sentiment` score; the more negative one counts (strain is felt
 * when it happens — a customer who calms down later does not undo it). Never lower than the severity
 * already charged, so late information can only add.
 */
export function sentimentSeverity(d: readonly number[], o: number, config: ModelConfig): number {
  const sentN = d[o + S_SENT_N];
  const mean = sentN > 0 ? d[o + S_SENT_SUM] / sentN : 0;
  const seen = severityOfScore(Math.min(mean, d[o + S_SCORE]), config);
  const flags = d[o + S_FLAGS];
  const charged = flags & FLAG_NEGATIVE_STRONG ? SEVERITY_STRONG : flags & FLAG_NEGATIVE_MILD ? SEVERITY_MILD : SEVERITY_NONE;
  return Math.max(seen, charged);
}

/** The severity band (SEVERITY_*) of a sentiment score under the org's thresholds: what a score, upstream or from the text analyser, means to the model. */
export function severityOfScore(score: number, config: ModelConfig): number {
  const dc = config.difficulty;
  return score <= dc.strongSentimentAtOrBelow ? SEVERITY_STRONG : score <= dc.mildSentimentAtOrBelow ? SEVERITY_MILD : SEVERITY_NONE;
}

export function severityFlag(severity: number): number {
  return severity === SEVERITY_STRONG ? FLAG_NEGATIVE_STRONG : severity === SEVERITY_MILD ? FLAG_NEGATIVE_MILD : 0;
}

export function isAbusive(d: readonly number[], o: number): boolean {
  return (d[o + S_FLAGS] & (FLAG_ABUSIVE | FLAG_TARGETED)) !== 0;
}

/**
 * Writes the contact's load split by acute factor into `out` (length ≥ 9) and returns the total.
 * Uses the slot's handle and streak factors, fixed when the contact ended.
 *
 * Judgement beyond the evidence table: abuse *replaces* the sentiment multiplier (abusive language is
 * negative by nature, so multiplying both would count the same utterances twice; this is also what
 * lands the §5 "three abusive calls lift ~20 to ~54" target), and targeted abuse replaces plain abuse.
 */
export function contactLoad(s: readonly number[], o: number, config: ModelConfig, out: Float64Array): number {
  const d = config.difficulty;
  const flags = s[o + S_FLAGS];
  const targeted = (flags & FLAG_TARGETED) !== 0;
  const abusive = !targeted && (flags & FLAG_ABUSIVE) !== 0;
  const severity = targeted || abusive ? SEVERITY_NONE : sentimentSeverity(s, o, config);
  const mNegative = severity === SEVERITY_STRONG ? d.negativeStrong : severity === SEVERITY_MILD ? d.negativeMild : 1;
  const mAbuse = abusive ? d.abusive : 1;
  const mTargeted = targeted ? d.targetedAbuse : 1;
  const mEscalation = flags & FLAG_ESCALATION ? d.escalation : 1;
  const mTransfer = flags & FLAG_TRANSFERRED ? d.transferOut : 1;
  const holdSec = s[o + S_HOLD_MS] / 1000;
  const mHold = holdSec > d.veryLongHoldSec ? d.veryLongHold : holdSec > d.longHoldSec ? d.longHold : 1;

  const product = mNegative * mAbuse * mTargeted * mEscalation * mTransfer * mHold;
  const difficulty = Math.min(product, d.cap);
  const base = channelBase(s, o, config);
  const handled = base * s[o + S_HANDLE_FACTOR];
  const difficult = handled * difficulty;
  const load = difficult * s[o + S_STREAK_FACTOR];

  out[F_BASE] = base;
  out[F_HANDLE] = handled - base;
  const extra = difficult - handled;
  const logProduct = Math.log(product);
  const perLog = logProduct > 0 ? extra / logProduct : 0;
  out[F_NEGATIVE] = perLog * Math.log(mNegative);
  out[F_ABUSE] = perLog * Math.log(mAbuse);
  out[F_TARGETED] = perLog * Math.log(mTargeted);
  out[F_ESCALATION] = perLog * Math.log(mEscalation);
  out[F_TRANSFER] = perLog * Math.log(mTransfer);
  out[F_HOLD] = perLog * Math.log(mHold);
  out[F_STREAK] = load - difficult;
  return load;
}

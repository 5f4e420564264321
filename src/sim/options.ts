// What a simulated day looks like. Defaults are MODEL-EVIDENCE.md §6's "Simulator default" column;
// the schema is the single source of the option types and of their validation.
import { Type, Value } from '../typebox.ts';
import type { Static } from '@sinclair/typebox';
import { ChannelSchema } from '../domain/signals.ts';
import { validationError } from '../domain/errors.ts';

export const QueueSpecSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    channel: ChannelSchema,
    /** Relative share of the day's contacts. */
    weight: Type.Number({ exclusiveMinimum: 0 }),
    /** Outbound debt collection: abuse is far more common there (UNISON 2019). */
    collections: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type QueueSpec = Static<typeof QueueSpecSchema>;

/** A service centre that is mostly voice with a collections desk and a digital share. */
export const DEFAULT_QUEUES: QueueSpec[] = [
  { id: 'q-voice-service', channel: 'voice', weight: 0.6, collections: false },
  { id: 'q-voice-collections', channel: 'voice', weight: 0.1, collections: true },
  { id: 'q-chat-service', channel: 'chat', weight: 0.2, collections: false },
  { id: 'q-email-service', channel: 'email', weight: 0.1, collections: false },
];

const Share = (value: number, description: string) => Type.Number({ minimum: 0, maximum: 1, default: value, description });

export const SimOptionsSchema = Type.Object(
  {
    seed: Type.Integer({ default: 1 }),
    orgId: Type.String({ minLength: 1, maxLength: 128, default: 'sim-org' }),
    /** Epoch ms of the window's first instant. */
    startMs: Type.Integer({ minimum: 946_684_800_000 }),
    agents: Type.Integer({ minimum: 1, maximum: 5_000, default: 20 }),
    hours: Type.Number({ exclusiveMinimum: 0, maximum: 24, default: 8 }),
    /** Wall-clock hour (centre local time) at `startMs`; drives the intraday arrival profile. */
    openingHour: Type.Number({ minimum: 0, maximum: 23.99, default: 8 }),
    occupancy: Type.Number({ minimum: 0.05, maximum: 0.99, default: 0.85, description: 'target share of staffed time spent handling' }),
    abusiveShare: Share(0.03, 'abusive contacts on service queues'),
    collectionsAbusiveShare: Share(0.1, 'abusive contacts on collections queues'),
    /** Multiplier on the abuse probability when the caller waited longer than `longWaitMs` (crowding, Efrat 2018). */
    longWaitAbuseFactor: Type.Number({ minimum: 1, default: 1.5 }),
    longWaitMs: Type.Integer({ minimum: 0, default: 180_000 }),
    negativeShare: Share(0.18, 'contacts with negative sentiment, abusive ones included'),
    strongNegativeShare: Share(0.25, 'share of negative contacts that are strongly negative'),
    holdShare: Share(0.3, 'voice calls with a hold'),
    transferShare: Share(0.1, 'voice calls transferred to another agent'),
    dayFactorCv: Type.Number({ minimum: 0, maximum: 1, default: 0.15 }),
    agentSpeedSigma: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
    shiftHours: Type.Number({ exclusiveMinimum: 0, maximum: 12, default: 8 }),
    teamSize: Type.Integer({ minimum: 1, default: 10 }),
    chatConcurrency: Type.Integer({ minimum: 1, maximum: 3, default: 2 }),
    queues: Type.Array(QueueSpecSchema, { minItems: 1, default: DEFAULT_QUEUES }),
  },
  { additionalProperties: false },
);
export type SimOptions = Static<typeof SimOptionsSchema>;
export type SimOptionsInput = Partial<SimOptions> & Pick<SimOptions, 'startMs'>;

/** Fills defaults and validates; an invalid option is an AppError naming the field. */
export function resolveSimOptions(input: SimOptionsInput): SimOptions {
  const filled = Value.Default(SimOptionsSchema, structuredClone(input));
  const errors = [...Value.Errors(SimOptionsSchema, filled)];
  if (errors.length > 0) {
    throw validationError(...errors.slice(0, 5).map((e) => `${e.path.slice(1).replaceAll('/', '.') || 'options'}: ${e.message}`));
  }
  return filled as SimOptions;
}

/** Distributions of one contact's durations (ms), per MODEL-EVIDENCE.md §6. */
export const DURATIONS = {
  voiceTalk: { median: 4.5 * 60_000, sigma: 0.8, cap: 60 * 60_000 },
  chat: { median: 8 * 60_000, sigma: 0.8, cap: 60 * 60_000 },
  email: { median: 5 * 60_000, sigma: 0.7, cap: 30 * 60_000 },
  wrapup: { median: 40_000, sigma: 0.6, cap: 5 * 60_000 },
  hold: { median: 45_000, sigma: 0.6, cap: 10 * 60_000 },
} as const;

/** Time from offer to answer: an agent takes a few seconds to pick up. */
export const RING_MS = { min: 2_000, max: 12_000 } as const;

/**
 * Latest a signal can fall after the window's end: contacts still in progress at closing are finished
 * (talk + one hold + wrap-up at their caps, plus ringing). Callers that place the window so it ends
 * at "now" subtract this to never send future timestamps.
 */
export const MAX_OVERRUN_MS =
  RING_MS.max + DURATIONS.voiceTalk.cap + DURATIONS.hold.cap + DURATIONS.wrapup.cap;

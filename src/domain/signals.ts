// Interaction signals: the engine's only input. One schema is the source of truth for the HTTP
// ingest validator, the simulator and the model's TypeScript types.
import { Type } from '../typebox.ts';
import type { Static, TSchema, TLiteral } from '@sinclair/typebox';

/** 2000-01-01T00:00:00Z: anything earlier is a client bug (seconds sent instead of ms, zero, …). */
export const EARLIEST_TIME_MS = 946_684_800_000;
/** Agent and interaction ids, on every route that takes one (the action API's limit, which Webex leaves open). */
export const MAX_ID_LENGTH = 256;
export const MAX_UTTERANCE_TEXT = 8_000;

const Id = Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH });
export const ChannelSchema = Type.Union([Type.Literal('voice'), Type.Literal('chat'), Type.Literal('email')]);
export type Channel = Static<typeof ChannelSchema>;
export const CHANNELS: readonly Channel[] = ['voice', 'chat', 'email'];

export const AgentStateKindSchema = Type.Union([
  Type.Literal('available'),
  Type.Literal('idle'),
  Type.Literal('break'),
  Type.Literal('logged_out'),
]);
export type AgentStateKind = Static<typeof AgentStateKindSchema>;

/** Fields every signal carries. `key` is the idempotency key; absent → derived from content. */
const common = {
  orgId: Type.Optional(Id),
  agentId: Id,
  time: Type.Integer({ minimum: EARLIEST_TIME_MS, description: 'client timestamp, epoch ms' }),
  key: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
};
const onInteraction = { ...common, interactionId: Id };

function signal<T extends string, P extends Record<string, TSchema>>(type: T, props: P) {
  return Type.Object({ type: Type.Literal(type) as TLiteral<T>, ...props }, { additionalProperties: false });
}

export const TaskOfferedSchema = signal('task.offered', {
  ...onInteraction,
  channel: ChannelSchema,
  queueId: Type.Optional(Id),
});
export const TaskConnectedSchema = signal('task.connected', {
  ...onInteraction,
  channel: Type.Optional(ChannelSchema),
  queueId: Type.Optional(Id),
  /** The contact reached this agent as an escalation (received escalation factor). */
  escalation: Type.Optional(Type.Boolean()),
});
export const TaskHeldSchema = signal('task.held', onInteraction);
export const TaskResumedSchema = signal('task.resumed', onInteraction);
/** This agent transferred the contact out. */
export const TaskTransferredSchema = signal('task.transferred', onInteraction);
export const TaskEndedSchema = signal('task.ended', onInteraction);
export const TaskWrapupDoneSchema = signal('task.wrapup_done', {
  ...onInteraction,
  wrapupCode: Type.Optional(Id),
});
export const AgentStateSchema = signal('agent.state', {
  ...common,
  state: AgentStateKindSchema,
  /** Idle reason code; its configured burnoutInclusion decides whether the time counts. */
  idleCode: Type.Optional(Id),
});
export const SpeakerSchema = Type.Union([Type.Literal('customer'), Type.Literal('agent')]);
export const UtteranceSchema = signal('utterance', {
  ...onInteraction,
  speaker: SpeakerSchema,
  /** Analysed in memory and never stored (privacy rule); replaced by the derived fields below. */
  text: Type.Optional(Type.String({ maxLength: MAX_UTTERANCE_TEXT })),
  /** Text-derived sentiment from an upstream model, −1 (very negative) … 1. Never from voice. */
  sentiment: Type.Optional(Type.Number({ minimum: -1, maximum: 1 })),
  abusive: Type.Optional(Type.Boolean()),
  /** Abuse aimed at the agent ("you/your" + interruptions): the most damaging pattern. */
  targeted: Type.Optional(Type.Boolean()),
  interruption: Type.Optional(Type.Boolean()),
});
export const SentimentSchema = signal('sentiment', {
  ...onInteraction,
  score: Type.Number({ minimum: -1, maximum: 1 }),
});
export const SurveySchema = signal('survey', {
  ...onInteraction,
  csat: Type.Number({ minimum: 1, maximum: 5 }),
});

export const SIGNAL_SCHEMAS = [
  TaskOfferedSchema,
  TaskConnectedSchema,
  TaskHeldSchema,
  TaskResumedSchema,
  TaskTransferredSchema,
  TaskEndedSchema,
  TaskWrapupDoneSchema,
  AgentStateSchema,
  UtteranceSchema,
  SentimentSchema,
  SurveySchema,
] as const;

export const SignalSchema = Type.Union([...SIGNAL_SCHEMAS]);
export type Signal = Static<typeof SignalSchema>;
export type SignalType = Signal['type'];
export const SIGNAL_TYPES = SIGNAL_SCHEMAS.map((s) => s.properties.type.const) as SignalType[];
export type SignalOf<T extends SignalType> = Extract<Signal, { type: T }>;

/** Signals that end a contact as a rule (its handle time then counts for the agent's baselines). */
export const endsContact = (type: SignalType): boolean => type === 'task.ended' || type === 'task.transferred';

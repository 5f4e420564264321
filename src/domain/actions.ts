// Actions that partner apps record through POST /v1/agentburnout/action ("Break Played", …).
import { Type } from '../typebox.ts';
import type { Static } from '@sinclair/typebox';
import { EARLIEST_TIME_MS, MAX_ID_LENGTH } from './signals.ts';
import { validationError, type AppError } from './errors.ts';

const text = (description: string, maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', description });

/** Webex ActionRequest. The reference spells the time field `actionDateType` (typo, typed `object`): accept both. */
export const ActionRequestSchema = Type.Object({
  interactionId: Type.Optional(text('A unique identifier for each interaction or contact within the contact center.', MAX_ID_LENGTH)),
  agentId: text('The identifier for the agent whose burnout index has been calculated.', MAX_ID_LENGTH),
  clientId: Type.Optional(Type.String({ maxLength: 20, description: 'The name of the client initiating the action; at most 20 characters.' })),
  actionType: text('Specifies the type of action initiated based on the agent burnout index (Break Played, Supervisor Notified, …).', 128),
  actionDateTime: Type.Optional(Type.Union([Type.Integer(), Type.String({ pattern: '^[0-9]{1,16}$' })], { description: 'Epoch ms at which the action was executed (integer or numeric string).' })),
  actionDateType: Type.Optional(Type.Union([Type.Integer(), Type.String({ pattern: '^[0-9]{1,16}$' })], { description: 'The reference spec\'s spelling of actionDateTime; accepted as the same field.' })),
});
export type ActionRequest = Static<typeof ActionRequestSchema>;

export const ActionDataSchema = Type.Object({
  id: Type.String(),
  interactionId: Type.Optional(Type.String()),
  orgId: Type.String(),
  agentId: Type.String(),
  clientId: Type.Optional(Type.String()),
  actionType: Type.String(),
  actionDateTime: Type.Integer(),
  createdDateTime: Type.Integer(),
});
export type ActionRecord = Static<typeof ActionDataSchema>;

/** How far ahead of the server's clock an action time may be (client clock skew, not scheduling). */
export const MAX_ACTION_FUTURE_MS = 60 * 60 * 1000;

/** Resolves the action time from either spelling; absent → `now`. */
export function resolveActionTime(req: ActionRequest, now: number): number | AppError {
  const a = req.actionDateTime === undefined ? undefined : Number(req.actionDateTime);
  const b = req.actionDateType === undefined ? undefined : Number(req.actionDateType);
  if (a !== undefined && b !== undefined && a !== b) {
    return validationError('actionDateTime and actionDateType are the same field and must not disagree');
  }
  const field = a !== undefined ? 'actionDateTime' : 'actionDateType';
  const t = a ?? b;
  if (t === undefined) return now;
  if (!Number.isSafeInteger(t)) return validationError(`${field} must be an epoch timestamp in milliseconds`);
  if (t < EARLIEST_TIME_MS) return validationError(`${field} must not be before 2000-01-01 (epoch milliseconds expected)`);
  if (t > now + MAX_ACTION_FUTURE_MS) return validationError(`${field} must not be more than 1 hour in the future`);
  return t;
}

/** An Idempotency-Key and the hash of the request body that came with it. */
export interface Idempotency {
  key: string;
  /** Hash of the request body: the same key with a different body is a conflict. */
  requestHash: string;
}

/** The answer to a request whose Idempotency-Key `first` was recorded with: a retry of it, or a conflict. */
export type RetryAnswer = { kind: 'replayed' | 'conflict'; action: ActionRecord };

export function answerRetry(first: ActionRecord, firstRequestHash: string | null, requestHash: string | null): RetryAnswer {
  return { kind: firstRequestHash === requestHash ? 'replayed' : 'conflict', action: first };
}

// The Idempotency-Key header, one way for every route that takes it (an action, a batch of signals): a
// retry with the same key gets the first answer; the same key with another body is a conflict.
import { Type, TypeCompiler } from '../typebox.ts';
import { bodyHash, jsonBodyHash } from '../engine/body-hash.ts';
import { AppError, validationError } from '../domain/errors.ts';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export const IdempotencyKeyHeader = Type.String({
  minLength: 1,
  maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
  description: 'A retry with the same key returns the first answer instead of applying the request twice; the same key with another body is refused (409).',
});

/** A request body's hash: the parsed JSON's text, or the bytes as they came (an NDJSON body). */
export const requestHash = (body: unknown): string => (body instanceof Uint8Array ? bodyHash(body) : jsonBodyHash(body));

const isKey = TypeCompiler.Compile(IdempotencyKeyHeader);

/**
 * The request's Idempotency-Key, or undefined without the header, checked against the header's schema.
 * For routes whose schemas are not applied (POST /v1/signals checks its body line by line, not with the
 * route's validator).
 */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!isKey.Check(header)) {
    throw validationError(`headers/idempotency-key must be one string of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  return header;
}

export const idempotencyConflict = (): AppError => new AppError('conflict', ['Idempotency-Key was already used for a different request']);

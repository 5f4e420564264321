// The hash an Idempotency-Key is stored with: the same key with another body is a conflict. An NDJSON
// body is hashed as its bytes (on the intake worker that validates it, when it goes to one), a parsed
// JSON body as its JSON text.
import { hash } from 'node:crypto';

export const bodyHash = (body: Uint8Array | string): string => hash('sha256', body, 'base64url');

export const jsonBodyHash = (body: unknown): string => bodyHash(JSON.stringify(body));

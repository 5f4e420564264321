// Cursor paging for Respite's own lists: `limit` + opaque `cursor`, answered with meta.links like Webex lists.
import { Type } from '../typebox.ts';
import type { FastifyRequest } from 'fastify';
import { validationError } from '../domain/errors.ts';

export const MAX_LIMIT = 1000;

export const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, default: 100, description: `page size; values above ${MAX_LIMIT} are clamped` }),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'opaque cursor from meta.links.next' })),
});

export const clampLimit = (limit: number) => Math.min(limit, MAX_LIMIT);

/** A comma-separated query value as its non-empty items (`level=high,critical`); undefined when absent. */
export const csvList = (value: string | undefined) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string, keys: string[]): Record<string, string | number> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && keys.every((k) => ['string', 'number'].includes(typeof value[k]))) return value;
  } catch {
    // fall through to the validation error
  }
  throw validationError('cursor is not a cursor this server issued');
}

/**
 * meta with `links.self` and, when there is more, `links.next` (same query, new cursor, and `pinned`:
 * parameters whose defaulted value the next page must keep, like the time a list was read at).
 */
export function listMeta(request: FastifyRequest, limit: number, nextCursor: string | undefined, pinned: Record<string, string> = {}) {
  const url = new URL(request.url, 'http://respite.local');
  const links: Record<string, string> = { self: url.pathname + url.search };
  if (nextCursor) {
    url.searchParams.set('cursor', nextCursor);
    url.searchParams.set('limit', String(limit));
    for (const [name, value] of Object.entries(pinned)) url.searchParams.set(name, value);
    links.next = url.pathname + url.search;
  }
  return { limit, links };
}

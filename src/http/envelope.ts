// The Webex ApiErrorResponse envelope and the mapping of every failure onto it.
import { randomUUID } from 'node:crypto';
import { Type } from '../typebox.ts';
import { AppError } from '../domain/errors.ts';

export const ApiErrorResponseSchema = Type.Object(
  {
    trackingId: Type.String(),
    error: Type.Object({
      key: Type.String({ description: 'The HTTP status as a string, as Webex does.' }),
      reason: Type.Optional(Type.String({ description: 'Respite error code (validation, forbidden, …).' })),
      message: Type.Array(
        Type.Object({
          description: Type.String(),
          code: Type.Optional(Type.String({ description: 'The HTTP status again, as in Webex\'s examples.' })),
          entity: Type.Optional(Type.String({ description: 'What the route serves (agent_burnout, agent_burnout_action, signal, …); absent when no route was reached.' })),
          references: Type.Optional(Type.Array(Type.String(), { description: 'Always empty, as in Webex\'s examples.' })),
        }),
      ),
    }),
    // Named here so response serialization keeps it (fast-json-stringify drops undeclared members).
    currentVersion: Type.Optional(Type.Integer({ description: 'On a 409 for a stale version: the version to retry with.' })),
  },
  { $id: 'ApiErrorResponse', description: 'Response body for an API error (Webex ApiErrorResponse).' },
);

/** A tracking id for a request that brought none (or an unusable one). */
export const newTrackingId = () => `respite_${randomUUID()}`;

/** The envelope, shaped as Webex's examples: `entity` is the failing route's (none before routing). */
export function errorBody(trackingId: string, error: AppError, entity?: string) {
  const code = String(error.status);
  return {
    trackingId,
    error: {
      key: code,
      reason: error.code,
      message: error.descriptions.map((description) => (entity === undefined ? { description, code, references: [] } : { description, code, entity, references: [] })),
    },
    ...error.extra,
  };
}

interface SchemaError {
  instancePath: string;
  schemaPath?: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  validation?: SchemaError[];
  validationContext?: string;
}

/** What one branch of a union wanted, in a client's words ("integer", "ALL", "a string matching …"). */
function branchWant(e: SchemaError): string | undefined {
  if (e.keyword === 'type') return String(e.params.type);
  if (e.keyword === 'const') return String(e.params.allowedValue);
  if (e.keyword === 'pattern') return `a string matching ${String(e.params.pattern)}`;
  return undefined;
}

/**
 * A TypeBox union (enums are unions of literals) fails once per branch and once more for `anyOf`:
 * "must be equal to constant" twice says nothing. Say it once, listing what each branch allows.
 */
function collapseUnions(errors: SchemaError[]): SchemaError[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' && e.schemaPath);
  if (unions.length === 0) return errors;
  const branchesOf = (u: SchemaError) => errors.filter((e) => e !== u && e.schemaPath?.startsWith(`${u.schemaPath}/`));
  const inSomeUnion = new Set(unions.flatMap(branchesOf));
  return errors
    .filter((e) => !inSomeUnion.has(e))
    .map((e) => {
      if (!unions.includes(e)) return e;
      const branches = branchesOf(e);
      const wants = branches.map(branchWant);
      if (wants.length === 0 || wants.some((w) => w === undefined) || branches.some((b) => b.instancePath !== e.instancePath)) return e;
      const allConst = branches.every((b) => b.keyword === 'const');
      const message = allConst ? `must be one of ${wants.join(', ')}` : `must be ${wants.join(' or ')}`;
      return { ...e, message };
    });
}

/** Describes a JSON-schema failure by the field a client sent, e.g. "clientId must NOT have more than 20 characters". */
function describeValidation(err: FastifyLikeError): string[] {
  const where = err.validationContext === 'body' ? '' : `${err.validationContext ?? 'request'} `;
  return collapseUnions(err.validation ?? []).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    if (v.keyword === 'required') {
      const missing = String(v.params.missingProperty);
      return `${where}${path ? `${path}.` : ''}${missing} is required`;
    }
    if (v.keyword === 'additionalProperties') {
      return `${where}${path ? `${path}.` : ''}${String(v.params.additionalProperty)} is not a known field`;
    }
    const field = path || (err.validationContext === 'body' ? 'body' : '');
    const blank = (v.keyword === 'pattern' && v.params.pattern === '\\S') || (v.keyword === 'minLength' && v.params.limit === 1);
    const message = blank ? 'must not be empty or blank' : v.message;
    return `${where}${field} ${message}`.trim();
  });
}

const STATUS_CODES: Record<number, AppError['code']> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Turns anything thrown inside a request into an AppError; unknown failures become a bare 500. */
export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw;
  const err = (raw ?? {}) as FastifyLikeError;
  if (err.validation) return new AppError('validation', describeValidation(err));
  const status = err.statusCode ?? 500;
  const code = STATUS_CODES[status];
  if (code === undefined || status >= 500) return new AppError('internal', ['An unexpected error occurred']);
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError(code, ['Content-Type is not supported here; send application/json (POST /v1/signals also takes application/x-ndjson)']);
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError(code, ['body is larger than this route accepts']);
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new AppError(code, ['body must not be empty']);
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(err.message ?? '')) {
    return new AppError(code, [`body is not valid JSON: ${err.message ?? ''}`.trim()]);
  }
  return new AppError(code, [err.message || 'request refused']);
}

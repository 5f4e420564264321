// Errors are values: a machine code, an HTTP status and human descriptions naming the field at fault.
// The HTTP edge turns them into the Webex ApiErrorResponse envelope.
export type ErrorCode =
  | 'bad_request'
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'request_timeout'
  | 'payload_too_large'
  | 'uri_too_long'
  | 'headers_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal'
  | 'unavailable';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  request_timeout: 408,
  payload_too_large: 413,
  uri_too_long: 414,
  headers_too_large: 431,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly descriptions: string[],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(descriptions.join('; '));
    this.status = STATUS[code];
  }
}

export const badRequest = (...d: string[]) => new AppError('bad_request', d);
export const validationError = (...d: string[]) => new AppError('validation', d);
export const notFound = (...d: string[]) => new AppError('not_found', d);
export const forbidden = (...d: string[]) => new AppError('forbidden', d);

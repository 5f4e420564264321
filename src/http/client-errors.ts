// Requests Node's HTTP parser refuses before Fastify sees them (malformed request line or headers,
// headers over the size limit, a request that never finished arriving): answered in the same
// ApiErrorResponse envelope as every other error, with a tracking id, instead of Fastify's own body.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { errorBody } from './envelope.ts';

function refusal(code: string | undefined): AppError {
  if (code === 'HPE_HEADER_OVERFLOW') return new AppError('headers_too_large', ['request headers are larger than the server accepts']);
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError('request_timeout', ['the request did not arrive in time']);
  return new AppError('bad_request', ['the request is not well-formed HTTP']);
}

export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A client that hung up has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refused = refusal(error.code);
  const trackingId = `respite_${randomUUID()}`;
  const body = JSON.stringify(errorBody(trackingId, refused));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${refused.status} ${STATUS_CODES[refused.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nTrackingID: ${trackingId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

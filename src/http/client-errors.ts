// Requests refused before any route sees them — by Node's HTTP parser (malformed request line or
// headers, headers over the size limit, a request that never finished arriving) or by Fastify's router
// (a path that is not valid percent-encoding, a path parameter over the length limit) — answered in the
// same ApiErrorResponse envelope as every other error, with a tracking id, instead of Fastify's own body.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.ts';
import { errorBody, newTrackingId } from './envelope.ts';

function refusal(code: string | undefined): AppError {
  if (code === 'HPE_HEADER_OVERFLOW') return new AppError('headers_too_large', ['request headers are larger than the server accepts']);
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError('request_timeout', ['the request did not arrive in time']);
  return new AppError('bad_request', ['the request is not well-formed HTTP']);
}

export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A client that hung up has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refused = refusal(error.code);
  const trackingId = newTrackingId();
  const body = JSON.stringify(errorBody(trackingId, refused));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${refused.status} ${STATUS_CODES[refused.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nTrackingID: ${trackingId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function routerRefusal(code: string | undefined): AppError {
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return new AppError('uri_too_long', ['a path parameter is longer than any id the API accepts']);
  if (code === 'FST_ERR_BAD_URL') return new AppError('bad_request', ['the path is not valid percent-encoding']);
  return new AppError('internal', ['the request could not be routed']);
}

/** Fastify's frameworkErrors: what its router refuses. */
export function answerFrameworkError(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const refused = routerRefusal(error.code);
  reply.status(refused.status).header('TrackingID', request.id).type('application/json').send(errorBody(request.id, refused));
}

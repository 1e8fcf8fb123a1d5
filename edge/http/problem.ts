// Every failure leaves the Worker as one application/problem+json shape (API.md), whatever
// raised it: a domain rule, a malformed request, an unknown route or a bug.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { PROBLEM_CONTENT_TYPE, type ProblemCode, problemCodes } from '../../shared/api/problem';
import { DomainError } from '../domain/errors';
import type { AppEnv } from '../env';

const titles: Record<ProblemCode, string> = {
  bad_request: 'Bad request',
  unauthorized: 'Unauthorized',
  insufficient_credits: 'Not enough credits',
  account_owing: 'Credits owing',
  forbidden: 'Forbidden',
  not_licensed: 'Not licensed',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  link_expired: 'Link expired',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  validation_failed: 'Validation failed',
  feature_not_supported: 'Feature not supported',
  rate_limited: 'Too many requests',
  internal_error: 'Internal error',
  service_unavailable: 'Not available here',
};

export function problemResponse(code: ProblemCode, detail: string, extra: Record<string, unknown> = {}): Response {
  const status = problemCodes[code];
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (code === 'rate_limited' && typeof extra.retry_after === 'number') headers['retry-after'] = String(extra.retry_after);
  if (code === 'unauthorized') headers['www-authenticate'] = 'Bearer';
  const body = { type: `/problems/${code}`, title: titles[code], status, detail, code, ...extra };
  return new Response(JSON.stringify(body), { status, headers });
}

/** Codes for errors raised by Hono itself, which know only a status. */
const statusCodes: Record<number, ProblemCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'link_expired',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

export function onError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof DomainError) return problemResponse(error.code, error.detail, error.extra);
  if (error instanceof HTTPException) {
    const code = statusCodes[error.status] ?? (error.status >= 500 ? 'internal_error' : 'bad_request');
    return problemResponse(code, error.message || titles[code]);
  }
  console.error(`${c.req.method} ${new URL(c.req.url).pathname} failed`, error);
  return problemResponse('internal_error', 'Something went wrong on our side. Nothing was charged; please try again.');
}

export function onNotFound(c: Context<AppEnv>): Response {
  return problemResponse('not_found', `There is no ${c.req.method} ${new URL(c.req.url).pathname}.`);
}

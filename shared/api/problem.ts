// The one error shape of the API (RFC 9457 problem details), shared so the extension can
// read what the Worker says and show it in words.
import { z } from 'zod';

export const problemCodes = {
  bad_request: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  /** A refunded or lost-disputed purchase left credits owing: nothing is spent until credits bought settle it. */
  account_owing: 402,
  forbidden: 403,
  not_licensed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  link_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  feature_not_supported: 422,
  rate_limited: 429,
  internal_error: 500,
  /** A part of the service this server is not set up for (buying credits without Stripe keys in production). */
  service_unavailable: 503,
} as const;
export type ProblemCode = keyof typeof problemCodes;

export const FieldError = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldError>;

export const Problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(FieldError).optional(),
  needed: z.number().optional(),
  available: z.number().optional(),
});
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

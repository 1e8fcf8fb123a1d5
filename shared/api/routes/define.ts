// The pieces every route declaration is made of. Route definitions here are plain objects
// (only the RouteConfig type comes from @hono/zod-openapi), so the extension can import them
// to type its client without bundling the OpenAPI machinery the Worker uses to serve them.
import type { RouteConfig } from '@hono/zod-openapi';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, Problem, type ProblemCode, problemCodes } from '../problem';

/** Keeps a route's literal type (its path, schemas and statuses) for both sides. */
export const defineRoute = <const R extends RouteConfig>(route: R): R => route;

/** The security requirement of routes behind an access token (`Authorization: Bearer <jwt>`). */
export const signedIn: Record<string, string[]>[] = [{ bearer: [] }];

export function json<S extends z.ZodType>(schema: S, description: string, example?: z.input<S>) {
  return { description, content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } } };
}

export function jsonBody<S extends z.ZodType>(schema: S, example?: z.input<S>) {
  return { required: true, content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } } };
}

const ProblemRef = Problem.meta({ id: 'Problem', description: 'RFC 9457 problem details; `code` names the rule that refused the request.' });

type ProblemResponse = { description: string; content: { [PROBLEM_CONTENT_TYPE]: { schema: typeof ProblemRef } } };

/**
 * The problem+json answers a route can give, by status, each described by the codes it
 * carries. Every route can fail inside (500).
 */
export function problems<const C extends ProblemCode>(...codes: C[]) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of [...codes, 'internal_error' as const]) byStatus.set(problemCodes[code], [...(byStatus.get(problemCodes[code]) ?? []), code]);
  const out: Record<number, ProblemResponse> = {};
  for (const [status, names] of byStatus) out[status] = { description: `Problem: ${names.join(', ')}`, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemRef } } };
  return out as Record<(typeof problemCodes)[C | 'internal_error'], ProblemResponse>;
}

/** The problems of a JSON body: malformed, too large, or breaking the schema. */
export const bodyProblems = ['bad_request', 'payload_too_large', 'validation_failed'] as const;

export const IdParam = z.object({ id: z.string().min(1).meta({ description: 'The resource id', example: 'img_01hx' }) });

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .meta({ description: 'A retry with the same key replays the first answer instead of doing the work twice (at most 200 characters).', example: 'a6f4c1d2-generate-1' }),
});

export const noContent = (description: string) => ({ description });

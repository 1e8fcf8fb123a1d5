// Reading a request through its zod schema: a malformed body or a field that breaks the
// contract becomes a problem naming the field, before any domain code runs.
import type { Context } from 'hono';
import type { z } from 'zod';
import type { FieldError } from '../../shared/api/problem';
import { DomainError, validationFailed } from '../domain/errors';
import { jsonCap } from './body';

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(fieldErrors(parsed.error));
  return parsed.data;
}

/**
 * A JSON body, behind limitBody(jsonCap) (so at most 64 KB was ever read), parsed and checked
 * against its schema. An empty body reads as `{}`.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  if (text.length > jsonCap.bytes) throw new DomainError('payload_too_large', jsonCap.tooLarge);
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new DomainError('bad_request', 'The request body is not valid JSON.');
  }
  return parseWith(schema, value);
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query());
}

// Drives the Worker through HTTP the way a client does: the real app, D1 and outbox.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { createApp } from '../../edge/app';
import type { TokenPair } from '../../shared/api/auth';
import { openApiDocument } from '../../shared/api/document';
import { Contract, type Document } from './contract';

export const BASE = 'http://127.0.0.1:8787';

export function randomEmail(label = 'designer'): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

export type CallInit = RequestInit & {
  json?: unknown;
  token?: string;
  /** Vars or bindings for this request only (e.g. a rate limit lower than the test config's): the same app, run with them. */
  vars?: Partial<Cloudflare.Env>;
};

/** The Worker's answer to one request, unchecked (for the contract's own tests). */
export async function send(path: string, init: CallInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const request = new Request(`${BASE}${path}`, { ...init, headers, body });
  if (!init.vars) return exports.default.fetch(request);
  const ctx = createExecutionContext();
  const response = await createApp().fetch(request, { ...env, ...init.vars }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

let published: Contract | undefined;

/**
 * A request as a client makes it. Every answer from a documented route is held to the OpenAPI
 * document on the way (status, content type, body schema), so each test is a contract test too.
 */
export async function call(path: string, init: CallInit = {}): Promise<Response> {
  const response = await send(path, init);
  published ??= new Contract(JSON.parse(JSON.stringify(openApiDocument(BASE))) as Document);
  const method = init.method ?? 'GET';
  if (published.operationOf(method, new URL(path, BASE).pathname)) await published.check(method, path, response);
  return response;
}

export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** The newest sign-in code mailed to an address, read the way a developer does: /dev/outbox. */
export async function latestCode(email: string): Promise<string> {
  const outbox = await json<{ items: { subject: string; text: string }[] }>(await call(`/dev/outbox?to=${encodeURIComponent(email)}`));
  const match = /\b(\d{6})\b/.exec(outbox.items[0]?.text ?? '');
  if (!match) throw new Error(`no code mailed to ${email}`);
  return match[1]!;
}

export async function signIn(email = randomEmail()): Promise<TokenPair & { email: string }> {
  expect((await call('/v1/auth/email/start', { method: 'POST', json: { email } })).status).toBe(202);
  const response = await call('/v1/auth/email/verify', { method: 'POST', json: { email, code: await latestCode(email) } });
  expect(response.status).toBe(200);
  return { ...(await json<TokenPair>(response)), email };
}

export async function grant(email: string, amount: number, idempotencyKey?: string): Promise<Response> {
  return call('/dev/credits/grant', {
    method: 'POST',
    json: { email, amount },
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
  });
}

export async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = await json(response);
  expect(body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
  return body;
}

export { env };

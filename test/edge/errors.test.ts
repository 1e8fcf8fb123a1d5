// Every failure answers in the one problem+json shape: no stack traces, no HTML.
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../edge/app';
import { call, env, expectProblem, json, signIn } from './support';

describe('errors', () => {
  it('answers an unknown route with 404 problem+json', async () => {
    const body = await expectProblem(await call('/v1/nothing-here'), 404, 'not_found');
    expect(body.detail).toContain('/v1/nothing-here');
    await expectProblem(await call('/'), 404, 'not_found');
  });

  it('answers a method a route lacks with problem+json', async () => {
    await expectProblem(await call('/v1/models', { method: 'DELETE' }), 404, 'not_found');
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await call('/v1/auth/email/start', { method: 'POST', body: '{"email": ', headers: { 'content-type': 'application/json' } });
    await expectProblem(response, 400, 'bad_request');
  });

  it('answers a JSON body of the wrong shape with the fields that are wrong', async () => {
    const me = await signIn();
    const body = await expectProblem(await call('/v1/quotes', { method: 'POST', token: me.access_token, json: [1, 2] }), 422, 'validation_failed');
    expect(body.errors.length).toBeGreaterThan(0);
  });

  it('refuses a body too large to be a real request', async () => {
    const response = await call('/v1/auth/email/start', { method: 'POST', json: { email: 'x'.repeat(70_000) } });
    await expectProblem(response, 413, 'payload_too_large');
    // A body sent in chunks, without a declared length, is measured as it is read.
    const body = new ReadableStream({
      start(controller) {
        const chunk = new TextEncoder().encode(`{"email":"${'y'.repeat(40_000)}`);
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    await expectProblem(await call('/v1/auth/email/start', { method: 'POST', body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit), 413, 'payload_too_large');
  });

  it('hides internals when the server is misconfigured', async () => {
    const broken = { ...env, AUTH_SECRET: '' };
    const response = await createApp().fetch(
      new Request('http://127.0.0.1/v1/auth/email/start', { method: 'POST', body: JSON.stringify({ email: 'a@b.test' }) }),
      broken,
      createExecutionContext(),
    );
    const body = await expectProblem(response, 500, 'internal_error');
    expect(body.detail).not.toMatch(/AUTH_SECRET/);
  });

  it('serves /health', async () => {
    expect(await json(await call('/health'))).toEqual({ ok: true });
  });
});

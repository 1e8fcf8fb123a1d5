// The message protocol: only the extension's own pages, only known messages, validated.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, localProblem } from '../../extension/lib/api-client';
import { dispatch, type Handlers, isTrustedSender } from '../../extension/lib/messaging';

const ID = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'auth.state': async () => ({ signedIn: false, user: null }),
    'auth.start': async () => ({ sent: true }),
    'auth.verify': async () => {
      throw new ApiError(localProblem('unauthorized', 'That code is not right. 4 tries left.', 401));
    },
    'auth.signOut': async () => ({}),
    'auth.accessToken': async () => ({ token: 't' }),
    'capture.urls': async () => ({ captures: [], failed: [] }),
    ...overrides,
  };
}

describe('who may send messages to the background', () => {
  it('is this extension’s own pages only', () => {
    expect(isTrustedSender({ id: ID, url: `${ORIGIN}sidepanel.html` }, ID, ORIGIN)).toBe(true);
    expect(isTrustedSender({ id: ID, url: 'https://evil.example/page', tab: { id: 4 } }, ID, ORIGIN)).toBe(false);
    expect(isTrustedSender({ id: ID, url: `${ORIGIN}sidepanel.html`, tab: { id: 4 } }, ID, ORIGIN)).toBe(true);
    expect(isTrustedSender({ id: ID, url: `https://example.test/#${ORIGIN}` }, ID, ORIGIN)).toBe(false);
    expect(isTrustedSender({ id: 'other-extension', url: `chrome-extension://other-extension/x.html` }, ID, ORIGIN)).toBe(false);
    expect(isTrustedSender({ id: ID }, ID, ORIGIN)).toBe(false);
  });
});

describe('dispatching a message', () => {
  it('runs the handler with the validated, normalised payload', async () => {
    let seen: unknown;
    const answer = await dispatch(handlers({ 'auth.start': async (r) => ((seen = r), { sent: true }) }), { type: 'auth.start', payload: { email: ' Ada@Example.TEST ' } });
    expect(answer).toEqual({ ok: true, data: { sent: true } });
    expect(seen).toEqual({ email: 'ada@example.test' });
  });

  it('refuses a payload that breaks the schema, naming the field', async () => {
    const answer = await dispatch(handlers(), { type: 'auth.verify', payload: { email: 'ada@example.test', code: '12' } });
    expect(answer).toMatchObject({ ok: false, problem: { code: 'validation_failed', errors: [{ path: 'code' }] } });
  });

  it('refuses unknown messages', async () => {
    expect(await dispatch(handlers(), { type: 'tokens.steal', payload: {} })).toMatchObject({ ok: false, problem: { code: 'bad_message' } });
    expect(await dispatch(handlers(), 'hello')).toMatchObject({ ok: false, problem: { code: 'bad_message' } });
  });

  it('passes the API’s problem through, in its words', async () => {
    const answer = await dispatch(handlers(), { type: 'auth.verify', payload: { email: 'ada@example.test', code: '000000' } });
    expect(answer).toEqual({ ok: false, problem: expect.objectContaining({ code: 'unauthorized', detail: 'That code is not right. 4 tries left.' }) });
  });

  it('hides unexpected failures behind a plain message', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const answer = await dispatch(handlers({ 'auth.state': async () => { throw new Error('boom at x.ts:3'); } }), { type: 'auth.state', payload: {} });
    expect(answer).toMatchObject({ ok: false, problem: { code: 'extension_error', detail: expect.not.stringContaining('boom') } });
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
  });
});

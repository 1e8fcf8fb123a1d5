// The message maps: only the extension's own pages and background, only known messages, validated both ways.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { answerBackground, type PageHandlers, pageProtocol } from '../../extension/capture/page-protocol';
import { ApiError, localProblem } from '../../extension/lib/api-client';
import { dispatch, type Handlers, isTrustedSender, protocol, readAnswer } from '../../extension/lib/messaging';

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

describe('the capture script in a page', () => {
  const pageHandlers = (): PageHandlers => ({
    'capture.resolve': async () => ({ ok: false, reason: 'nothing_here', message: 'There is no image there.', pageUrl: 'https://site.test/', pageTitle: 'Site', dpr: 1 }),
    'capture.collect': async () => ({ images: [], optedOut: null, pageUrl: 'https://site.test/', pageTitle: 'Site', dpr: 1 }),
    'capture.region': async () => ({ rect: null, pageUrl: 'https://site.test/', pageTitle: 'Site', dpr: 2 }),
    'capture.pick': async () => ({ point: null, pageUrl: 'https://site.test/', pageTitle: 'Site', dpr: 1 }),
  });

  /** Delivers a message to the page's listener as the browser would, from this sender. */
  async function toPage(message: unknown, sender: object): Promise<unknown> {
    let answer: unknown = 'no answer';
    const answered = new Promise<void>((resolve) => {
      const results = fakeBrowser.runtime.onMessage.trigger(message, sender, (a: unknown) => ((answer = a), resolve()));
      void results.then((r) => !r.some((x) => (x as unknown) === true) && resolve());
    });
    await answered;
    return answer;
  }

  beforeEach(() => {
    fakeBrowser.reset();
    answerBackground(pageHandlers());
  });

  const background = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/background.js') });

  it('answers this extension’s background, validated', async () => {
    expect(await toPage({ type: 'capture.region', payload: {} }, background())).toEqual({ ok: true, data: expect.objectContaining({ rect: null, dpr: 2 }) });
    expect(await toPage({ type: 'capture.resolve', payload: { x: 'left' } }, background())).toMatchObject({ ok: false, problem: { code: 'validation_failed', errors: [{ path: 'x' }] } });
    expect(await toPage({ type: 'auth.accessToken', payload: {} }, background())).toMatchObject({ ok: false, problem: { code: 'bad_message' } });
  });

  it('ignores the page itself, other tabs and other extensions', async () => {
    const message = { type: 'capture.collect', payload: {} };
    expect(await toPage(message, { id: fakeBrowser.runtime.id, url: 'https://site.test/', tab: { id: 3 } })).toBe('no answer');
    expect(await toPage(message, { id: 'another-extension', url: 'chrome-extension://another-extension/background.js' })).toBe('no answer');
    expect(await toPage(message, {})).toBe('no answer');
  });
});

describe('reading an answer', () => {
  it('gives the data parsed with the message’s schema', () => {
    const data = { rect: { x: 1, y: 2, width: 30, height: 40 }, pageUrl: 'https://site.test/', pageTitle: 'Site', dpr: 2 };
    expect(readAnswer(pageProtocol, 'capture.region', { ok: true, data })).toEqual(data);
  });

  it('throws the problem it carries, in its words', () => {
    expect(() => readAnswer(protocol, 'auth.verify', { ok: false, problem: localProblem('unauthorized', 'That code is not right.', 401) })).toThrow('That code is not right.');
  });

  it('refuses an answer that does not fit, and says so in words', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const wrong = { ok: true, data: { ok: true, kind: 'url', url: 'https://x.test/a.png', width: '1200' } };
    const error = (() => {
      try {
        readAnswer(pageProtocol, 'capture.resolve', wrong);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem).toMatchObject({ code: 'bad_answer', detail: expect.stringContaining('does not understand') });
    expect(() => readAnswer(pageProtocol, 'capture.collect', 'hello')).toThrow(ApiError);
    logged.mockRestore();
  });

  it('asks to try again when nobody answered (a restarting background)', () => {
    expect(() => readAnswer(protocol, 'auth.state', undefined)).toThrow(/restarting/);
  });
});

// The background's sign-in: where tokens live, silent single-flight refresh, sign-out.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ApiError, createApiClient } from '../../extension/lib/api-client';
import { createSession } from '../../extension/lib/session';
import { createFakeApi } from './fake-api';

const API = 'http://api.test';

function setup(options: { accessTtl?: number } = {}) {
  const fake = createFakeApi(options);
  let clock = 1_000_000;
  const session = createSession(createApiClient(API, fake.fetch), () => clock);
  return { fake, session, advance: (ms: number) => (clock += ms) };
}

const refreshCalls = (fake: ReturnType<typeof createFakeApi>) => fake.state.calls.filter((c) => c.path === '/v1/auth/refresh');

beforeEach(() => fakeBrowser.reset());

describe('signing in from the extension', () => {
  it('keeps the access token in storage.session and the refresh token in storage.local', async () => {
    const { session, fake } = setup();
    await session.verifyEmail('ada@example.test', fake.code);
    expect(await fakeBrowser.storage.session.get('accessToken')).toEqual({ accessToken: { token: 'access-1', expiresAt: expect.any(Number) } });
    expect(await fakeBrowser.storage.local.get('refreshToken')).toEqual({ refreshToken: 'refresh-1' });
    expect(await fakeBrowser.storage.local.get('accessToken')).toEqual({});
    expect(await session.state()).toEqual({ signedIn: true, user: fake.user });
  });

  it('surfaces a wrong code as the API’s words and stores nothing', async () => {
    const { session } = setup();
    const error = await session.verifyEmail('ada@example.test', '000000').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe('That code is not right. 4 tries left.');
    expect(await session.state()).toEqual({ signedIn: false, user: null });
  });
});

describe('access tokens', () => {
  it('are reused while fresh and refreshed silently a minute before they expire', async () => {
    const { session, fake, advance } = setup({ accessTtl: 900 });
    await session.verifyEmail('ada@example.test', fake.code);
    expect(await session.accessToken()).toBe('access-1');
    advance(800_000);
    expect(await session.accessToken()).toBe('access-1');
    advance(50_000); // 850 s: inside the last minute
    expect(await session.accessToken()).toBe('access-2');
    expect(await fakeBrowser.storage.local.get('refreshToken')).toEqual({ refreshToken: 'refresh-2' });
  });

  it('are refreshed once for many callers at the same time', async () => {
    const { session, fake, advance } = setup();
    await session.verifyEmail('ada@example.test', fake.code);
    advance(2_000_000);
    const tokens = await Promise.all(Array.from({ length: 5 }, () => session.accessToken()));
    expect(new Set(tokens)).toEqual(new Set(['access-2']));
    expect(refreshCalls(fake)).toHaveLength(1);
  });

  it('sign the user out when the API refuses the refresh token', async () => {
    const { session, fake } = setup();
    await session.verifyEmail('ada@example.test', fake.code);
    fake.state.liveRefresh.clear();
    expect(await session.accessToken({ forceRefresh: true })).toBeNull();
    expect(await session.state()).toEqual({ signedIn: false, user: null });
    expect(await fakeBrowser.storage.session.get('accessToken')).toEqual({});
  });

  it('keep the sign-in when the network is down', async () => {
    const { session, fake } = setup();
    await session.verifyEmail('ada@example.test', fake.code);
    fake.state.down = true;
    await expect(session.accessToken({ forceRefresh: true })).rejects.toThrow(/cannot be reached/);
    expect((await session.state()).signedIn).toBe(true);
  });

  it('are null when nobody is signed in', async () => {
    const { session, fake } = setup();
    expect(await session.accessToken()).toBeNull();
    expect(fake.state.calls).toEqual([]);
  });
});

describe('signing out', () => {
  it('forgets every token and ends the sign-in on the server', async () => {
    const { session, fake } = setup();
    await session.verifyEmail('ada@example.test', fake.code);
    await session.signOut();
    expect(await fakeBrowser.storage.local.get(['refreshToken', 'user'])).toEqual({});
    expect(await fakeBrowser.storage.session.get('accessToken')).toEqual({});
    expect(fake.state.calls.at(-1)).toMatchObject({ path: '/v1/auth/logout', auth: 'Bearer access-1', body: { refresh_token: 'refresh-1' } });
  });
});

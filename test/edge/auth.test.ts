// Sign-in: emailed one-time codes, access tokens, rotating refresh tokens, logout.
import { createExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../edge/app';
import { newId } from '../../edge/db/ids';
import { loginCodes, sessions, styles } from '../../edge/db/schema';
import { rolesOf } from '../../edge/domain/accounts';
import { signAccessToken } from '../../edge/domain/auth/access-tokens';
import { fromBase64Url, toBase64Url } from '../../shared/encoding';
import { db } from './db';
import { call, env, expectProblem, json, latestCode, randomEmail, signIn } from './support';

const start = (email: string) => call('/v1/auth/email/start', { method: 'POST', json: { email } });
const verify = (email: string, code: string) => call('/v1/auth/email/verify', { method: 'POST', json: { email, code } });
const refresh = (refresh_token: string) => call('/v1/auth/refresh', { method: 'POST', json: { refresh_token } });
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('signing in with an emailed code', () => {
  it('mails a 6-digit code and signs a first-time user up with an empty credit account', async () => {
    const email = randomEmail();
    const started = await start(email);
    expect(started.status).toBe(202);
    expect(await json(started)).toEqual({ sent: true });

    const pair = await json(await verify(email, await latestCode(email)));
    expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { email, roles: ['user'] } });

    const me = await json(await call('/v1/me', { token: pair.access_token }));
    expect(me).toEqual({
      id: pair.user.id,
      email,
      // A handle from the email's local part (designer-1a2b3c4d → designer_1a2b3c4d), shown as the name until changed.
      handle: email.split('@')[0]!.replace('-', '_'),
      display_name: email.split('@')[0]!.replace('-', '_'),
      roles: ['user'],
      credits: { balance: 0, held: 0, available: 0, owed: 0 },
    });
  });

  it('normalises the address, so the same person is the same account', async () => {
    const email = randomEmail();
    const first = await signIn(email);
    const upper = email.toUpperCase();
    await start(`  ${upper} `);
    const second = await json(await verify(upper, await latestCode(email)));
    expect(second.user.id).toBe(first.user.id);
  });

  it('stores the code hashed, never as written', async () => {
    const email = randomEmail();
    await start(email);
    const code = await latestCode(email);
    const row = await db().select({ code_hash: loginCodes.code_hash }).from(loginCodes).where(eq(loginCodes.email, email)).get();
    expect(row!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.code_hash).not.toContain(code);
  });

  it('counts wrong tries, and after 5 even the right code is refused', async () => {
    const email = randomEmail();
    await start(email);
    const code = await latestCode(email);
    for (let left = 4; left >= 0; left--) {
      const body = await expectProblem(await verify(email, wrongCode(code)), 401, 'unauthorized');
      expect(body.tries_left).toBe(left);
    }
    const body = await expectProblem(await verify(email, code), 401, 'unauthorized');
    expect(body.detail).toMatch(/too many/i);
  });

  it('cannot be brute-forced in parallel past the 5 tries', async () => {
    const email = randomEmail();
    await start(email);
    const code = await latestCode(email);
    const guesses = Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    await Promise.all(guesses.map((g) => verify(email, g)));
    const row = await db().select({ attempts: loginCodes.attempts }).from(loginCodes).where(eq(loginCodes.email, email)).get();
    expect(row!.attempts).toBe(5);
    await expectProblem(await verify(email, code), 401, 'unauthorized');
  });

  it('refuses a code after its 10 minutes', async () => {
    const email = randomEmail();
    await start(email);
    const code = await latestCode(email);
    await db().update(loginCodes).set({ expires_at: '2000-01-01T00:00:00.000Z' }).where(eq(loginCodes.email, email));
    const body = await expectProblem(await verify(email, code), 401, 'unauthorized');
    expect(body.detail).toMatch(/expired/);
  });

  it('gives codes 10 minutes of life', async () => {
    const email = randomEmail();
    await start(email);
    const row = await db().select({ created_at: loginCodes.created_at, expires_at: loginCodes.expires_at }).from(loginCodes).where(eq(loginCodes.email, email)).get();
    expect(Date.parse(row!.expires_at) - Date.parse(row!.created_at)).toBe(10 * 60_000);
  });

  it('lets a code work only once', async () => {
    const email = randomEmail();
    await start(email);
    const code = await latestCode(email);
    expect((await verify(email, code)).status).toBe(200);
    await expectProblem(await verify(email, code), 401, 'unauthorized');
  });

  it('retires the previous code when a new one is asked for', async () => {
    const email = randomEmail();
    await start(email);
    const first = await latestCode(email);
    await start(email);
    const second = await latestCode(email);
    if (first !== second) await expectProblem(await verify(email, first), 401, 'unauthorized');
    expect((await verify(email, second)).status).toBe(200);
  });

  it('limits how many codes one address can ask for', async () => {
    const email = randomEmail();
    for (let i = 0; i < 5; i++) expect((await start(email)).status).toBe(202);
    const limited = await start(email);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    await expectProblem(limited, 429, 'rate_limited');
  });

  it('counts no code ended by wrong guesses against the address: a new one can be asked for', async () => {
    const email = randomEmail();
    for (let i = 0; i < 5; i++) expect((await start(email)).status).toBe(202);
    const code = await latestCode(email);
    for (let i = 0; i < 5; i++) await verify(email, wrongCode(code));
    expect((await start(email)).status).toBe(202);
    expect((await verify(email, await latestCode(email))).status).toBe(200);
  });

  it('rejects a malformed email or code naming the field', async () => {
    const bad = await expectProblem(await start('not-an-email'), 422, 'validation_failed');
    expect(bad.errors).toEqual([{ path: 'email', message: expect.any(String) }]);
    const code = await expectProblem(await verify(randomEmail(), '12ab'), 422, 'validation_failed');
    expect(code.errors[0].path).toBe('code');
  });
});

describe('access tokens', () => {
  it('are HS256 JWTs with sub and role that live 15 minutes', async () => {
    const { access_token, user } = await signIn();
    const [header, payload] = access_token.split('.').slice(0, 2).map((p) => JSON.parse(new TextDecoder().decode(fromBase64Url(p))));
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: user.id, role: 'user' });
    expect(payload.exp - payload.iat).toBe(900);
  });

  it('are required: a missing one is 401 problem+json', async () => {
    await expectProblem(await call('/v1/me'), 401, 'unauthorized');
    await expectProblem(await call('/v1/me', { headers: { authorization: 'Basic abc' } }), 401, 'unauthorized');
  });

  it('refuse a tampered token', async () => {
    const { access_token } = await signIn();
    const [h, p, s] = access_token.split('.');
    const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(p!)));
    const forged = toBase64Url(new TextEncoder().encode(JSON.stringify({ ...claims, role: 'admin' })));
    await expectProblem(await call('/v1/me', { token: `${h}.${forged}.${s}` }), 401, 'unauthorized');
    // Flip one bit of the decoded signature, so the signature always changes (editing its last
    // characters can leave the decoded bytes as they were).
    const signature = fromBase64Url(s!);
    signature[0]! ^= 1;
    await expectProblem(await call('/v1/me', { token: `${h}.${p}.${toBase64Url(signature)}` }), 401, 'unauthorized');
  });

  it('refuse an expired token', async () => {
    const { user } = await signIn();
    const old = await signAccessToken(env.AUTH_SECRET, { id: user.id, role: 'user', sessionFamily: 'fam_x' }, 900, new Date(Date.now() - 3600_000));
    const body = await expectProblem(await call('/v1/me', { token: old }), 401, 'unauthorized');
    expect(body.detail).toMatch(/expired/);
  });

  it('refuse an unsigned (alg: none) token and one signed with another key', async () => {
    const { user } = await signIn();
    const unsigned = new UnsecuredJWT({ role: 'admin', sid: 'fam_x' }).setSubject(user.id).setIssuer('exactly-api').setAudience('exactly').setIssuedAt().setExpirationTime('10m').encode();
    await expectProblem(await call('/v1/me', { token: unsigned }), 401, 'unauthorized');
    const otherKey = await new SignJWT({ role: 'admin', sid: 'fam_x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('exactly-api')
      .setAudience('exactly')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('another-secret-of-enough-length-000000'));
    await expectProblem(await call('/v1/me', { token: otherKey }), 401, 'unauthorized');
  });
});

describe('refresh tokens', () => {
  it('rotate: each refresh gives a new pair and the old refresh token dies', async () => {
    const first = await signIn();
    const second = await json(await refresh(first.refresh_token));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await call('/v1/me', { token: second.access_token })).status).toBe(200);
    const third = await json(await refresh(second.refresh_token));
    expect(third.user.id).toBe(first.user.id);
  });

  it('are stored hashed', async () => {
    const { refresh_token, user } = await signIn();
    const stored = await db().select({ token_hash: sessions.token_hash }).from(sessions).where(eq(sessions.user_id, user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(refresh_token);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('revoke the whole family when an already-rotated token comes back', async () => {
    const stolen = await signIn();
    const rotated = await json(await refresh(stolen.refresh_token));
    expect((await call('/v1/me', { token: rotated.access_token })).status).toBe(200);
    await expectProblem(await refresh(stolen.refresh_token), 401, 'unauthorized');
    // The legitimate holder's newer token is dead too: the family was revoked.
    await expectProblem(await refresh(rotated.refresh_token), 401, 'unauthorized');
    // And so is every access token of the family, at once, not when it expires.
    for (const token of [stolen.access_token, rotated.access_token]) {
      const body = await expectProblem(await call('/v1/me', { token }), 401, 'unauthorized');
      expect(body.detail).toMatch(/ended/);
    }
  });

  it('let only one of two simultaneous refreshes with the same token win', async () => {
    const { refresh_token } = await signIn();
    const results = await Promise.all([refresh(refresh_token), refresh(refresh_token)]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('refuse unknown and expired tokens', async () => {
    await expectProblem(await refresh('not-a-real-token'), 401, 'unauthorized');
    const { refresh_token, user } = await signIn();
    await db().update(sessions).set({ expires_at: '2000-01-01T00:00:00.000Z' }).where(eq(sessions.user_id, user.id));
    await expectProblem(await refresh(refresh_token), 401, 'unauthorized');
  });
});

describe('logout', () => {
  it('ends the sign-in: its refresh token no longer works', async () => {
    const { refresh_token, access_token } = await signIn();
    const out = await call('/v1/auth/logout', { method: 'POST', token: access_token, json: { refresh_token } });
    expect(out.status).toBe(204);
    await expectProblem(await refresh(refresh_token), 401, 'unauthorized');
  });

  it('works from the access token alone', async () => {
    const { refresh_token, access_token } = await signIn();
    expect((await call('/v1/auth/logout', { method: 'POST', token: access_token })).status).toBe(204);
    await expectProblem(await refresh(refresh_token), 401, 'unauthorized');
  });

  it('ends its access tokens at once, even ones minted by a refresh, and only its own', async () => {
    const first = await signIn();
    const refreshed = await json(await refresh(first.refresh_token));
    const otherDevice = await signIn(first.email);
    expect((await call('/v1/me', { token: first.access_token })).status).toBe(200);
    expect((await call('/v1/auth/logout', { method: 'POST', json: { refresh_token: refreshed.refresh_token } })).status).toBe(204);
    // Still inside their 15 minutes, both are refused, on reads and on work alike.
    for (const token of [first.access_token, refreshed.access_token]) {
      await expectProblem(await call('/v1/me', { token }), 401, 'unauthorized');
      await expectProblem(await call('/v1/generations', { method: 'POST', token, json: { model_id: 'flux-schnell', prompt: 'x', batch: 1, resolution: 'sd', aspect_ratio: '1:1' } }), 401, 'unauthorized');
    }
    // The same person signed in elsewhere is another sign-in, and stays.
    expect((await call('/v1/me', { token: otherDevice.access_token })).status).toBe(200);
  });

  it('makes an ended access token read public routes as anonymous: no private Styles', async () => {
    const { access_token, user } = await signIn();
    const now = new Date().toISOString();
    const styleId = newId('sty');
    await db().insert(styles).values({ id: styleId, owner_id: user.id, name: 'Ink', visibility: 'private', status: 'ready', components: '{}', created_at: now, updated_at: now });
    const listed = async () => (await json(await call('/v1/models', { token: access_token }))).items.map((m: { id: string }) => m.id);
    expect(await listed()).toContain(styleId);
    expect((await call('/v1/auth/logout', { method: 'POST', token: access_token })).status).toBe(204);
    expect(await listed()).not.toContain(styleId);
  });
});

describe('development-only routes', () => {
  const production = { ...env, ENVIRONMENT: 'production' };
  const inProduction = (path: string, init?: RequestInit) =>
    createApp().fetch(new Request(`http://127.0.0.1${path}`, init), production, createExecutionContext());

  it('do not exist unless ENVIRONMENT is development', async () => {
    await expectProblem(await inProduction('/dev/outbox'), 404, 'not_found');
    await expectProblem(
      await inProduction('/dev/credits/grant', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: randomEmail(), amount: 5 }) }),
      404,
      'not_found',
    );
    // The same app serves them in development.
    expect((await call('/dev/outbox')).status).toBe(200);
  });
});

describe('roles', () => {
  it('include the ones below them: an admin moderates, a moderator is a user', () => {
    expect(rolesOf('user')).toEqual(['user']);
    expect(rolesOf('moderator')).toEqual(['user', 'moderator']);
    expect(rolesOf('admin')).toEqual(['user', 'moderator', 'admin']);
  });
});

// The deploy-time self-check against the fal fake: a good configuration, a bad key, signing
// keys that cannot be fetched, no account id; and only an admin may run it.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { call, expectProblem, json, randomEmail, signIn } from '../../edge/support';
import { adminToken } from '../admin-support';
import { useFal } from '../network';

useFal();

// A host that does not answer, as workerd reports it (tests never reach the real network).
beforeAll(() => {
  const routed = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    new URL(new Request(input, init).url).host === 'jwks.unreachable.fake' ? Promise.reject(new TypeError('Network connection lost.')) : routed(input, init),
  );
});

const admin = adminToken;

const PUBLIC = { PUBLIC_API_URL: 'https://api.example.test' };
const check = async (token: string, vars: Record<string, string> = {}) => {
  const response = await call('/v1/admin/providers', { token, vars: { ...PUBLIC, ...vars } });
  expect(response.status).toBe(200);
  const body = await json(response);
  return { body, fal: body.items.find((i: { subject: string }) => i.subject === 'fal') };
};

describe('the provider self-check with fal', () => {
  it('says all is well when the key, the signing keys and the account are right', async () => {
    const { body, fal } = await check(await admin());
    expect(fal).toEqual({
      subject: 'fal',
      status: 'ok',
      checks: [
        { name: 'key', ok: true, detail: 'fal accepted FAL_KEY.' },
        { name: 'webhook keys', ok: true, detail: expect.stringMatching(/^1 Ed25519 signing key at https:\/\/queue\.fal\.fake/) },
        { name: 'account', ok: true, detail: expect.any(String) },
      ],
    });
    expect(body.ok).toBe(true);
    expect(body.items.find((i: { subject: string }) => i.subject === 'replicate')).toMatchObject({ status: 'not_configured' });
  });

  it('says fal refused the key, in fal’s words', async () => {
    const { body, fal } = await check(await admin(), { FAL_KEY: 'wrong-id:wrong-secret' });
    expect(body.ok).toBe(false);
    expect(fal.status).toBe('problem');
    expect(fal.checks[0]).toEqual({ name: 'key', ok: false, detail: expect.stringMatching(/^fal refused FAL_KEY \(401: No user found for Key ID and Secret\)/) });
  });

  it('says when the signing keys cannot be fetched, or are not fal’s', async () => {
    const unreachable = await check(await admin(), { FAL_JWKS_URL: 'https://jwks.unreachable.fake/.well-known/jwks.json' });
    expect(unreachable.fal.checks[1]).toMatchObject({ name: 'webhook keys', ok: false, detail: expect.stringMatching(/could not be fetched from https:\/\/jwks\.unreachable\.fake\/\.well-known\/jwks\.json: Network connection lost\. Every fal webhook will be refused/) });
    const wrong = await check(await admin(), { FAL_JWKS_URL: 'https://queue.fal.fake/files/none.json' });
    expect(wrong.fal.checks[1]).toMatchObject({ ok: false, detail: expect.stringMatching(/answered 404, not fal's signing keys/) });
    expect(wrong.body.ok).toBe(false);
  });

  it('says webhooks from any fal account would be accepted without FAL_USER_ID', async () => {
    const { fal } = await check(await admin(), { FAL_USER_ID: '' });
    expect(fal.checks[2]).toMatchObject({ name: 'account', ok: false, detail: expect.stringMatching(/FAL_USER_ID is not set/) });
  });

  it('says fal webhooks cannot reach a deployment with no public URL', async () => {
    const response = await call('/v1/admin/providers', { token: await admin() });
    const webhooks = (await json(response)).items.find((i: { subject: string }) => i.subject === 'webhooks');
    expect(webhooks).toMatchObject({ status: 'problem', checks: [{ ok: false, detail: expect.stringMatching(/PUBLIC_API_URL is not set: fal will be sent webhooks at .*127\.0\.0\.1.*cannot reach/) }] });
  });

  it('answers only admins', async () => {
    const me = await signIn();
    await expectProblem(await call('/v1/admin/providers', { token: me.access_token }), 403, 'forbidden');
    const moderator = randomEmail('moderator');
    await call('/dev/roles', { method: 'POST', json: { email: moderator, role: 'moderator' } });
    await expectProblem(await call('/v1/admin/providers', { token: (await signIn(moderator)).access_token }), 403, 'forbidden');
    await expectProblem(await call('/v1/admin/providers'), 401, 'unauthorized');
  });
});

// The deploy-time self-check against the Replicate fake: a good token and secret, a bad token,
// no webhook secret, and a secret that is not the account's.
import { describe, expect, it } from 'vitest';
import { selfCheck } from '../admin-support';
import { useReplicate } from '../network';

useReplicate();

describe('the provider self-check with Replicate', () => {
  it('says all is well when the token works and the secret is the account’s', async () => {
    const { body, item } = await selfCheck('replicate');
    expect(item).toEqual({
      subject: 'replicate',
      status: 'ok',
      checks: [
        { name: 'token', ok: true, detail: 'Replicate accepted REPLICATE_API_TOKEN (account fake-studio).' },
        { name: 'webhook secret', ok: true, detail: 'REPLICATE_WEBHOOK_SECRET is the account’s webhook secret.' },
      ],
    });
    expect(body.ok).toBe(true);
  });

  it('says Replicate refused the token, in its words', async () => {
    const { body, item } = await selfCheck('replicate', { REPLICATE_API_TOKEN: 'r8_wrong' });
    expect(body.ok).toBe(false);
    expect(item.checks[0]).toEqual({ name: 'token', ok: false, detail: expect.stringMatching(/^Replicate refused REPLICATE_API_TOKEN \(401: You did not pass a valid authentication token\)/) });
  });

  it('says every webhook will be refused without a webhook secret', async () => {
    const { item } = await selfCheck('replicate', { REPLICATE_WEBHOOK_SECRET: '' });
    expect(item.status).toBe('problem');
    expect(item.checks[1]).toEqual({ name: 'webhook secret', ok: false, detail: expect.stringMatching(/^REPLICATE_WEBHOOK_SECRET is not set: every Replicate webhook will be refused/) });
  });

  it('says when the secret is not the account’s', async () => {
    const { item } = await selfCheck('replicate', { REPLICATE_WEBHOOK_SECRET: 'whsec_b3RoZXItc2VjcmV0' });
    expect(item.checks[1]).toMatchObject({ ok: false, detail: expect.stringMatching(/is not the account’s webhook secret/) });
  });
});

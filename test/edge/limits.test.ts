// Rate limits that slow an attacker without locking the owner out: sign-in per address (atomic),
// per network and for everyone; expensive work per user. Each attack is performed here.
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loginCodes, rateCounters } from '../../edge/db/schema';
import { CODE_MAX_TRIES, CODES_PER_WINDOW } from '../../edge/domain/auth/login-codes';
import { type RateRuleName, rateRuleNames, rateRules } from '../../edge/rate-limits/rules';
import { forgetSettledCounts } from '../../edge/rate-limits/local';
import { rateLimiterFor } from '../../edge/services';
import { db } from './db';
import { call, type CallInit, env, expectProblem, json, latestCode, randomEmail, signIn } from './support';

/** A client at its own address (Cloudflare's CF-Connecting-IP), under the production limits. */
function client(ip = randomIp(), vars: CallInit['vars'] = { RATE_LIMIT_SIGN_IN_PER_IP: String(rateRules.sign_in_ip.fallback) }) {
  const post = (path: string, body: unknown) => call(path, { method: 'POST', json: body, headers: { 'cf-connecting-ip': ip }, vars });
  return {
    ip,
    start: (email: string) => post('/v1/auth/email/start', { email }),
    verify: (email: string, code: string) => post('/v1/auth/email/verify', { email, code }),
  };
}

function randomIp(): string {
  const [a, b, c] = crypto.getRandomValues(new Uint8Array(3));
  return `10.${a}.${b}.${c}`;
}

const wrong = (code: string, i = 1) => String((Number(code) + i) % 1_000_000).padStart(6, '0');

async function expectRateLimited(response: Response) {
  const body = await expectProblem(response, 429, 'rate_limited');
  expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  expect(body.retry_after).toBe(Number(response.headers.get('retry-after')));
  return body;
}

describe('codes for one address', () => {
  it('30 requests at once mail at most 5 codes: the count and the insert are one statement', async () => {
    const email = randomEmail('victim');
    const answers = await Promise.all(Array.from({ length: 30 }, () => call('/v1/auth/email/start', { method: 'POST', json: { email } })));
    const accepted = answers.filter((r) => r.status === 202).length;
    expect(accepted).toBe(CODES_PER_WINDOW);
    for (const refused of answers.filter((r) => r.status !== 202)) await expectRateLimited(refused);
    const rows = await db().select({ id: loginCodes.id }).from(loginCodes).where(eq(loginCodes.email, email));
    expect(rows).toHaveLength(CODES_PER_WINDOW);
  });

  it('a full address still has a working code in its inbox: the newest', async () => {
    const email = randomEmail();
    for (let i = 0; i < CODES_PER_WINDOW; i++) expect((await call('/v1/auth/email/start', { method: 'POST', json: { email } })).status).toBe(202);
    const refused = await expectRateLimited(await call('/v1/auth/email/start', { method: 'POST', json: { email } }));
    expect(refused.detail).toMatch(/newest/);
    expect((await call('/v1/auth/email/verify', { method: 'POST', json: { email, code: await latestCode(email) } })).status).toBe(200);
  });
});

describe('an attacker without the mailbox', () => {
  it('ends one code with wrong guesses, never the address: the owner asks for a new code and signs in', async () => {
    const email = randomEmail('owner');
    const attacker = client();
    const started = Date.now();
    // Five codes (the most an address can hold), then the newest guessed to death.
    for (let i = 0; i < CODES_PER_WINDOW; i++) expect((await attacker.start(email)).status).toBe(202);
    const mailed = await latestCode(email);
    for (let i = 1; i <= CODE_MAX_TRIES; i++) await expectProblem(await attacker.verify(email, wrong(mailed, i)), 401, 'unauthorized');
    const dead = await expectProblem(await attacker.verify(email, mailed), 401, 'unauthorized');
    expect(dead.detail).toMatch(/new one/);
    // The attacker goes on guessing until their network is refused, long before 200 guesses.
    let guesses = 0;
    let answer: Response;
    do answer = await attacker.verify(email, wrong(mailed, 100 + guesses++));
    while (answer.status !== 429 && guesses < 200);
    await expectRateLimited(answer);
    const sent = CODES_PER_WINDOW + CODE_MAX_TRIES + 1 + guesses;
    expect(sent - 1).toBeLessThanOrEqual(allowance(rateRules.sign_in_ip.fallback, started));
    // The attacker's network is refused even a code for another address...
    await expectRateLimited(await attacker.start(randomEmail()));

    // ...while the owner, at home, asks for a new code and signs in.
    const owner = client();
    expect((await owner.start(email)).status).toBe(202);
    const fresh = await latestCode(email);
    const signedIn = await owner.verify(email, fresh);
    expect(signedIn.status).toBe(200);
    expect((await json(signedIn)).user.email).toBe(email);
  });

  it('asking for codes to 40 addresses from one network meets 429 after the per-network limit; other networks go on', async () => {
    const attacker = client();
    const started = Date.now();
    const answers: Response[] = [];
    for (let i = 0; i < 40; i++) answers.push(await attacker.start(randomEmail('spam')));
    const limit = rateRules.sign_in_ip.fallback;
    expect(answers.slice(0, limit).map((r) => r.status)).toEqual(Array(limit).fill(202));
    const accepted = answers.filter((r) => r.status === 202).length;
    expect(accepted).toBeLessThanOrEqual(allowance(limit, started));
    for (const refused of answers.filter((r) => r.status !== 202)) await expectRateLimited(refused);
    // Past the limit it is refused. A run that crosses into the next window may be let through
    // again (the allowance above bounds how far), so which answer is the last 429 is not fixed.
    expect(answers.slice(limit).some((r) => r.status === 429)).toBe(true);
    expect((await client().start(randomEmail())).status).toBe(202);
  });

  it('spread over many networks meets the global sign-in limit', async () => {
    const global = 10;
    const vars = { RATE_LIMIT_SIGN_IN_GLOBAL: String(global) };
    // All at once, so the counter is raced as well as filled.
    const answers = await Promise.all(Array.from({ length: 40 }, () => client(randomIp(), vars).start(randomEmail('crowd'))));
    const accepted = answers.filter((r) => r.status === 202).length;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(global);
    for (const refused of answers.filter((r) => r.status !== 202)) {
      const body = await expectRateLimited(refused);
      expect(body.detail).toMatch(/Too many people are signing in/);
    }
  });
});

/** What a limit lets through since `started`: a burst of `limit`, then one every minute/limit. */
const allowance = (limit: number, started: number) => limit + Math.ceil(((Date.now() - started) / 60_000) * limit);

/**
 * Sends until refused; the limiter lets a burst of `limit` through, then one request every
 * minute/limit, so what passed is at most the burst plus what refilled while sending.
 */
async function untilRefused(send: () => Promise<Response>, passing: number, limit: number): Promise<Response> {
  const started = Date.now();
  let passed = 0;
  for (;;) {
    const response = await send();
    if (response.status !== passing) {
      expect(passed).toBeGreaterThanOrEqual(limit);
      expect(passed).toBeLessThanOrEqual(allowance(limit, started));
      return response;
    }
    passed++;
    if (passed > 3 * limit) throw new Error(`no 429 after ${passed} requests`);
  }
}

describe('guessing refresh tokens', () => {
  const vars = { RATE_LIMIT_REFRESH_PER_IP: String(rateRules.refresh_ip.fallback) };
  const refresh = (ip: string, refresh_token: string) => call('/v1/auth/refresh', { method: 'POST', json: { refresh_token }, headers: { 'cf-connecting-ip': ip }, vars });

  it('from one network meets 429 past the per-network limit; another network refreshes, and the owner there once the wait is over', async () => {
    const owner = await signIn();
    const office = randomIp();
    const guess = () => untilRefused(() => refresh(office, `guess-${crypto.randomUUID()}`), 401, rateRules.refresh_ip.fallback);
    const refused = await expectRateLimited(await guess());
    expect(refused.detail).toMatch(/your network\. Try again in \d+ seconds?/);
    // Counted before the body is read: the owner's real token, sent from there now, is refused and not spent.
    let token = owner.refresh_token;
    let waiting = await refresh(office, token);
    for (let tries = 1; waiting.status === 200 && tries < 3; tries++) {
      // A slow machine let a slot refill between the refusal and this request: the token was
      // rightly honoured (and rotated). Fill the window again and ask at once.
      token = (await json(waiting)).refresh_token;
      await guess();
      waiting = await refresh(office, token);
    }
    await expectRateLimited(waiting);
    // Another network is not held back by that one.
    const elsewhere = await refresh(randomIp(), token);
    expect(elsewhere.status).toBe(200);
    const { refresh_token: next } = await json(elsewhere);
    // Once Retry-After has passed, the owner refreshes from the office again.
    await new Promise((resolve) => setTimeout(resolve, Number(waiting.headers.get('retry-after')) * 1000));
    const back = await refresh(office, next);
    expect(back.status).toBe(200);
    expect((await json(back)).user.email).toBe(owner.email);
  });
});

describe('expensive work per user', () => {
  const startWork = (token: string) => call('/v1/image-to-prompt', { method: 'POST', token, json: {} });

  it('is refused with 429 and Retry-After past the limit, for that user only', async () => {
    const busy = await signIn();
    // Every request counts, even one the route then refuses for its body.
    const refused = await expectRateLimited(await untilRefused(() => startWork(busy.access_token), 422, rateRules.work.fallback));
    expect(refused.detail).toMatch(/Try again in \d+ seconds?/);
    // Reads are not limited, and another designer works on.
    expect((await call('/v1/me', { token: busy.access_token })).status).toBe(200);
    expect((await startWork((await signIn()).access_token)).status).toBe(422);
  });

  it('counts every work route on one budget', async () => {
    // A small budget (one request every 20 s once spent), so none comes back while this runs.
    const vars = { RATE_LIMIT_WORK_PER_USER: '3' };
    const { access_token: token } = await signIn();
    const post = (path: string, body?: unknown) => call(path, { method: 'POST', token, vars, ...(body === undefined ? {} : { json: body }) });
    for (let i = 0; i < 3; i++) expect((await post('/v1/image-to-prompt', {})).status).toBe(422);
    await expectRateLimited(await post('/v1/image-to-prompt', {}));
    await expectRateLimited(await post('/v1/generations', { model_id: 'flux-schnell', prompt: 'a harbour', batch: 1, resolution: 'sd', aspect_ratio: '1:1' }));
    await expectRateLimited(await post('/v1/style-components', { image_ids: ['img_x'] }));
    await expectRateLimited(await post('/v1/images/img_x/edits', { op: 'erase' }));
    await expectRateLimited(await post('/v1/images/img_x/upscale', { size: '4k' }));
    await expectRateLimited(await post('/v1/images/img_x/remove-background'));
    await expectRateLimited(await post('/v1/images/img_x/vectorize'));
  });

  it('counts uploads on their own limit', async () => {
    const uploader = await signIn();
    const upload = () => call('/v1/images', { method: 'POST', token: uploader.access_token, headers: { 'content-type': 'image/png' }, body: new Uint8Array([1, 2, 3]) });
    const limit = rateRules.uploads.fallback;
    await expectRateLimited(await untilRefused(upload, 415, limit));
    // Work is counted apart.
    expect((await startWork(uploader.access_token)).status).toBe(422);
  });
});

describe('in production', () => {
  /** How many hits of a fresh key the limiter admits in a row, within one clock minute (the binding's window). */
  async function admitted(rule: RateRuleName): Promise<{ admitted: number; refusal: unknown }> {
    const limiter = rateLimiterFor({ ...env, ENVIRONMENT: 'production' });
    for (;;) {
      const minute = Math.floor(Date.now() / 60_000);
      const key = crypto.randomUUID();
      let admitted = 0;
      let verdict = await limiter.hit(rule, key);
      while (verdict.ok && admitted <= rateRules[rule].fallback) {
        admitted++;
        verdict = await limiter.hit(rule, key);
      }
      if (Math.floor(Date.now() / 60_000) === minute) return { admitted, refusal: verdict };
    }
  }

  it("counts through Cloudflare's Rate Limiting bindings, whose limits in wrangler.toml are the defaults", async () => {
    for (const rule of rateRuleNames) {
      expect(env[rateRules[rule].binding], `${rateRules[rule].binding} is bound`).toBeDefined();
      expect(await admitted(rule)).toEqual({ admitted: rateRules[rule].fallback, refusal: { ok: false, retryAfterSeconds: 60 } });
    }
  });
});

describe('the local counts', () => {
  it('are forgotten by the cron once paid off, and kept while still owed', async () => {
    const now = Date.now();
    const [paid, owed] = [`work:${crypto.randomUUID()}`, `work:${crypto.randomUUID()}`];
    await db().insert(rateCounters).values([{ key: paid, due: now - 1000 }, { key: owed, due: now + 30_000 }]);
    await forgetSettledCounts(env.DB, new Date(now));
    const left = await db().select({ key: rateCounters.key }).from(rateCounters).where(inArray(rateCounters.key, [paid, owed]));
    expect(left.map((r) => r.key)).toEqual([owed]);
  });
});

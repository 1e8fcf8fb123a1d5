// The moderation console at /admin, driven as a browser drives it: forms posted from its own
// pages, a session cookie, redirects. Only moderators get a session; a form from another site
// does nothing; decisions are the API's own.
import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { moderationReviews, outbox, users } from '../../edge/db/schema';
import { db } from './db';
import { mailTo, pendingStyle, person, styleRow, upload, withRole } from './pending-style';
import { BASE, latestCode, randomEmail, send } from './support';

const ORIGIN = new URL(BASE).origin;

type Vars = Partial<Cloudflare.Env>;

const post = (path: string, fields: Record<string, string>, init: { cookie?: string; origin?: string | null; vars?: Vars } = {}) => {
  const headers: Record<string, string> = {};
  if (init.origin !== null) headers.origin = init.origin ?? ORIGIN;
  if (init.cookie) headers.cookie = init.cookie;
  return send(path, { method: 'POST', body: new URLSearchParams(fields), headers, redirect: 'manual', ...(init.vars ? { vars: init.vars } : {}) });
};

// Redirects are answers to look at, not to follow.
const get = (path: string, cookie?: string, vars?: Vars) => send(path, { headers: cookie ? { cookie } : {}, redirect: 'manual', ...(vars ? { vars } : {}) });

/** The cookie a Set-Cookie header sets, as a browser sends it back (`name=value`), with its attributes. */
function cookieOf(response: Response): { pair: string; attributes: string[] } {
  const header = response.headers.get('set-cookie');
  expect(header, 'a cookie is set').toBeTruthy();
  const [pair, ...attributes] = header!.split(';').map((s) => s.trim());
  return { pair: pair!, attributes: attributes.map((a) => a.toLowerCase()) };
}

/** Signs in through the console's forms with the code from the outbox: the session cookie. */
async function consoleSignIn(email: string): Promise<string> {
  const asked = await post('/admin/sign-in', { email });
  expect(asked.status).toBe(200);
  expect(await asked.text()).toMatch(/Enter your code/);
  const verified = await post('/admin/verify', { email, code: await latestCode(email) });
  expect(verified.status).toBe(303);
  expect(verified.headers.get('location')).toBe('/admin');
  return cookieOf(verified).pair;
}

describe('signing in to the console', () => {
  it('a moderator signs in with the emailed code and gets an HttpOnly, SameSite=Strict session', async () => {
    const moderator = await withRole('moderator');
    await post('/admin/sign-in', { email: moderator.email });
    const verified = await post('/admin/verify', { email: moderator.email, code: await latestCode(moderator.email) });
    expect(verified.status).toBe(303);
    const { pair, attributes } = cookieOf(verified);
    expect(pair).toMatch(/^exactly_console=.{40,}$/);
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    const page = await get('/admin', pair);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    // A browser sends the Origin of the console's own form posts only under a referrer policy that allows it.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(await page.text()).toMatch(/Pending Styles/);
  });

  it('outside development the cookie is Secure with the __Host- prefix', async () => {
    const production = { ENVIRONMENT: 'production' } as Vars;
    const moderator = await withRole('moderator');
    expect((await post('/admin/sign-in', { email: moderator.email }, { vars: production })).status).toBe(200);
    // /dev/outbox is a development route: read the code from the outbox itself.
    const mail = await db().select().from(outbox).where(eq(outbox.to_email, moderator.email)).orderBy(desc(outbox.created_at)).get();
    const code = /\b(\d{6})\b/.exec(mail!.text)![1]!;
    const verified = await post('/admin/verify', { email: moderator.email, code }, { vars: production });
    expect(verified.status).toBe(303);
    const { pair, attributes } = cookieOf(verified);
    expect(pair).toMatch(/^__Host-exactly_console=/);
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=strict', 'path=/']));
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    expect((await get('/admin', pair, production)).status).toBe(200);
    // The development cookie's name means nothing there.
    expect((await get('/admin', pair.replace('__Host-', ''), production)).status).toBe(303);
  });

  it('a plain user is told the account is not a moderator and gets no session; an unknown address gets no account', async () => {
    const user = await person('user');
    await post('/admin/sign-in', { email: user.email });
    const refused = await post('/admin/verify', { email: user.email, code: await latestCode(user.email) });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await refused.text()).toMatch(/This account is not a moderator/);

    const stranger = randomEmail('stranger');
    await post('/admin/sign-in', { email: stranger });
    const unknown = await post('/admin/verify', { email: stranger, code: await latestCode(stranger) });
    expect(unknown.status).toBe(403);
    expect(unknown.headers.get('set-cookie')).toBeNull();
    expect(await db().select().from(users).where(eq(users.email, stranger)).get()).toBeUndefined();
  });

  it('a wrong code is refused in words, with no session', async () => {
    const moderator = await withRole('moderator');
    await post('/admin/sign-in', { email: moderator.email });
    const right = await latestCode(moderator.email);
    const wrong = await post('/admin/verify', { email: moderator.email, code: right === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toMatch(/That code is not right/);
  });

  it('signed out, every page sends you to sign in; signing out ends the session', async () => {
    for (const path of ['/admin', '/admin/styles/sty_x/images/img_x']) {
      const response = await get(path);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/admin/sign-in');
    }
    expect((await get('/admin/sign-in')).status).toBe(200);
    const moderator = await withRole('moderator');
    const cookie = await consoleSignIn(moderator.email);
    expect((await get('/admin', cookie)).status).toBe(200);
    const out = await post('/admin/sign-out', {}, { cookie });
    expect(out.status).toBe(303);
    expect(cookieOf(out).attributes).toContain('max-age=0');
    const after = await get('/admin', cookie);
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/admin/sign-in');
  });
});

describe('deciding in the console', () => {
  it('lists the pending Style with its training images, samples and scores, examples, copyright and creator', async () => {
    const style = await pendingStyle();
    const cookie = await consoleSignIn((await withRole('moderator')).email);
    const html = await (await get('/admin', cookie)).text();
    expect(html).toContain(`${style.name} at dusk`);
    expect(html).toContain(style.creator.email);
    expect(html).toContain('Own work');
    expect(html).toMatch(/Quiz average<\/dt><dd>4\.0 of 5 \(scores 4, 4\)/);
    for (const id of [...style.trainingImageIds, ...style.sampleIds, ...style.resultIds]) expect(html).toContain(`/admin/styles/${style.id}/images/${id}`);
    expect(html).toContain('harbour study 1');
    expect(html).toMatch(/Sample 1, scored 4: sample 1/);
    // Every control labelled.
    for (const id of [`reason-${style.id}`, `reject-note-${style.id}`, `accept-note-${style.id}`]) expect(html).toContain(`<label for="${id}">`);
    expect(html).toMatch(/<option value="inconsistent_style">Inconsistent style<\/option>/);
  });

  it('accepting through the form publishes the Style, mails the creator and says so', async () => {
    const style = await pendingStyle();
    const moderator = await withRole('moderator');
    const cookie = await consoleSignIn(moderator.email);
    const decided = await post(`/admin/styles/${style.id}/decision`, { decision: 'accept', note: '' }, { cookie });
    expect(decided.status).toBe(303);
    expect(decided.headers.get('location')).toMatch(/^\/admin\?decided=rev_/);
    expect(await styleRow(style.id)).toMatchObject({ status: 'published' });
    const [review] = await db().select().from(moderationReviews).where(eq(moderationReviews.style_id, style.id));
    expect(review).toMatchObject({ moderator_id: moderator.id, decision: 'accepted', note: null });
    expect((await mailTo(style.creator.email))[0]!.subject).toMatch(/is published/);
    const page = await (await get(decided.headers.get('location')!, cookie)).text();
    expect(page).toContain(`Accepted “${style.name} at dusk”. The creator has been emailed.`);
    expect(page).not.toContain(`id="style-${style.id}"`);
  });

  it('rejecting through the form needs a reason, then leaves a free retrain and mails the reason', async () => {
    const style = await pendingStyle();
    const cookie = await consoleSignIn((await withRole('moderator')).email);
    const noReason = await post(`/admin/styles/${style.id}/decision`, { decision: 'reject', reason: '', note: 'x' }, { cookie });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toMatch(/Say why it is rejected/);
    expect((await styleRow(style.id)).status).toBe('in_moderation');

    const rejected = await post(`/admin/styles/${style.id}/decision`, { decision: 'reject', reason: 'inconsistent_style', note: 'Samples 1 and 2 look unrelated.' }, { cookie });
    expect(rejected.status).toBe(303);
    expect(await styleRow(style.id)).toMatchObject({ status: 'rejected', free_retrain: true });
    const [mail] = await mailTo(style.creator.email);
    expect(mail!.text).toMatch(/Inconsistent style/);
    expect(mail!.text).toMatch(/Samples 1 and 2 look unrelated\./);
    expect(await (await get(rejected.headers.get('location')!, cookie)).text()).toContain(`Rejected “${style.name} at dusk”`);
    // Deciding again says it is decided, in words.
    const again = await post(`/admin/styles/${style.id}/decision`, { decision: 'accept' }, { cookie });
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/already rejected/);
  });

  it('a form sent from another site, or with no Origin, does nothing', async () => {
    const style = await pendingStyle();
    const cookie = await consoleSignIn((await withRole('moderator')).email);
    for (const origin of ['https://evil.example', 'null', null]) {
      const forged = await post(`/admin/styles/${style.id}/decision`, { decision: 'reject', reason: 'terms' }, { cookie, origin });
      expect(forged.status).toBe(403);
      expect(await forged.text()).toMatch(/not sent from the moderation console/);
    }
    expect((await post('/admin/sign-out', {}, { cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect((await get('/admin', cookie)).status).toBe(200); // still signed in
    expect((await styleRow(style.id)).status).toBe('in_moderation');
    expect(await mailTo(style.creator.email)).toEqual([]);
  });

  it('a signed-out form post decides nothing', async () => {
    const style = await pendingStyle();
    const response = await post(`/admin/styles/${style.id}/decision`, { decision: 'accept' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/sign-in');
    expect((await styleRow(style.id)).status).toBe('in_moderation');
  });

  it('shows the pending Style’s images and nothing else', async () => {
    const style = await pendingStyle();
    const cookie = await consoleSignIn((await withRole('moderator')).email);
    const training = await get(`/admin/styles/${style.id}/images/${style.trainingImageIds[0]}?size=thumb`, cookie);
    expect(training.status).toBe(200);
    expect(training.headers.get('content-type')).toBe('image/jpeg');
    expect((await get(`/admin/styles/${style.id}/images/${style.sampleIds[0]}`, cookie)).status).toBe(200);
    const unrelated = await upload(style.creator.access_token, 29);
    const other = await pendingStyle();
    for (const id of [unrelated, other.trainingImageIds[0]!]) {
      const refused = await get(`/admin/styles/${style.id}/images/${id}`, cookie);
      expect(refused.status).toBe(404);
      expect(refused.headers.get('content-type')).toMatch(/text\/html/);
    }
  });
});

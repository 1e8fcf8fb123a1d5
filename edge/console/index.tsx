/** @jsxImportSource hono/jsx */
// /admin: the moderation console, a few server-rendered pages for moderators. Sign-in is the
// API's own emailed code; decisions and images go through the same domain functions as
// /v1/moderation. Outside the OpenAPI document: it answers HTML, not JSON.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { EmailStartBody, EmailVerifyBody } from '../../shared/api/auth';
import { problemCodes } from '../../shared/api/problem';
import { ModerationBody } from '../../shared/api/styles';
import { readConfig } from '../config';
import { findUserByEmail } from '../domain/accounts';
import { mailLoginCode, redeemLoginCode } from '../domain/auth/login-codes';
import { DomainError } from '../domain/errors';
import { rendition } from '../domain/images';
import { imagePolicyOf } from '../domain/licenses';
import { canModerate, decideStyle, pendingStyleImage, pendingStyles, reviewById } from '../domain/styles/moderation';
import { publishStyle } from '../domain/styles/view';
import { watermarkSecret } from '../domain/watermark';
import type { AppEnv } from '../env';
import type { UserRow } from '../db/schema';
import { jsonCap, limitBody } from '../http/body';
import { rateLimit } from '../http/rate-limit';
import { eventsFor, rendererFor } from '../services';
import { CodePage, MessagePage, QueuePage, SignInPage } from './pages';
import { consoleUser, endConsoleSession, startConsoleSession } from './session';

const notModerator = 'This account is not a moderator. The console is for moderators; ask an admin for the role.';

/** The form's fields as strings (a file field is ignored). */
async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
}

const firstMessage = (error: z.ZodError) => error.issues[0]?.message ?? 'Some fields need another look.';

const moderatorName = (u: UserRow) => u.handle ?? u.email;

export const consoleRoutes = new Hono<AppEnv>();

consoleRoutes.use(async (c, next) => {
  // CSRF: a form may only be sent from a page of this Worker. SameSite=Strict already keeps
  // the cookie off cross-site requests; the Origin check refuses them even without it.
  // (hono/csrf checks only form content types; every POST here is checked.)
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.header('origin') !== new URL(c.req.url).origin) {
    return c.html(<MessagePage title="Not sent from this console" message="This form was not sent from the moderation console, so nothing was done. Open the console and try again." />, 403);
  }
  await next();
  c.header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  c.header('x-frame-options', 'DENY');
  // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with the
  // console's own form posts, and the check above would refuse every one of them.
  c.header('referrer-policy', 'same-origin');
  if (!c.res.headers.get('cache-control')) c.header('cache-control', 'no-store');
});
consoleRoutes.use(limitBody(jsonCap));

/** Runs `page` for the signed-in moderator; else a redirect to sign in (or a refusal for an account that is not a moderator). */
async function asModerator(c: Context<AppEnv>, page: (moderator: UserRow) => Promise<Response>): Promise<Response> {
  const user = await consoleUser(c, new Date());
  if (!user) return c.redirect('/admin/sign-in', 303);
  if (!canModerate(user)) return c.html(<MessagePage title="Not a moderator" message={notModerator} />, 403);
  return page(user);
}

async function queue(c: Context<AppEnv>, moderator: UserRow, options: { notice?: string; error?: string } = {}, status: 200 | 409 | 422 | 404 = 200) {
  return c.html(<QueuePage moderator={moderatorName(moderator)} items={await pendingStyles(c.env.DB)} {...options} />, status);
}

consoleRoutes.get('/', (c) =>
  asModerator(c, async (moderator) => {
    const decided = c.req.query('decided');
    const review = decided ? await reviewById(c.env.DB, decided) : undefined;
    return queue(c, moderator, review ? { notice: `${review.decision === 'accepted' ? 'Accepted' : 'Rejected'} “${review.title}”. The creator has been emailed.` } : {});
  }),
);

consoleRoutes.get('/sign-in', async (c) => {
  if (await consoleUser(c, new Date())) return c.redirect('/admin', 303);
  return c.html(<SignInPage />);
});

consoleRoutes.post('/sign-in', rateLimit(['sign_in_ip', 'sign_in_global']), async (c) => {
  const form = await formOf(c);
  const parsed = EmailStartBody.safeParse(form);
  if (!parsed.success) return c.html(<SignInPage email={form.email ?? ''} error={firstMessage(parsed.error)} />, 422);
  const { email } = parsed.data;
  const now = new Date();
  await mailLoginCode(c.env.DB, readConfig(c.env).authSecret, email, now);
  return c.html(<CodePage email={email} />);
});

consoleRoutes.post('/verify', rateLimit(['sign_in_ip', 'sign_in_global']), async (c) => {
  const form = await formOf(c);
  const parsed = EmailVerifyBody.safeParse(form);
  if (!parsed.success) return c.html(<CodePage email={form.email ?? ''} error={firstMessage(parsed.error)} />, 422);
  const { email, code } = parsed.data;
  const now = new Date();
  try {
    await redeemLoginCode(c.env.DB, readConfig(c.env).authSecret, email, code, now);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'unauthorized') return c.html(<CodePage email={email} error={error.detail} />, 401);
    throw error;
  }
  // Only an existing moderator gets a session: the console creates no accounts.
  const user = await findUserByEmail(c.env.DB, email);
  if (!user || !canModerate(user)) return c.html(<MessagePage title="Not a moderator" message={notModerator} />, 403);
  await startConsoleSession(c, user, now);
  return c.redirect('/admin', 303);
});

consoleRoutes.post('/sign-out', async (c) => {
  await endConsoleSession(c);
  return c.redirect('/admin/sign-in', 303);
});

consoleRoutes.post('/styles/:id/decision', (c) =>
  asModerator(c, async (moderator) => {
    const form = await formOf(c);
    const parsed = ModerationBody.safeParse({ decision: form.decision, reason: form.reason || undefined, note: form.note || undefined });
    if (!parsed.success) return queue(c, moderator, { error: firstMessage(parsed.error) }, 422);
    const styleId = c.req.param('id');
    try {
      // The same decision as POST /v1/moderation/:id: one batch, recorded and mailed.
      const review = await decideStyle(c.env.DB, { moderator, styleId, ...parsed.data, now: new Date() });
      c.executionCtx.waitUntil(publishStyle(c.env.DB, eventsFor(c.env), styleId));
      return c.redirect(`/admin?decided=${encodeURIComponent(review.id)}`, 303);
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'conflict' || error.code === 'not_found' || error.code === 'validation_failed')) {
        return queue(c, moderator, { error: error.detail }, problemCodes[error.code] as 409 | 404 | 422);
      }
      throw error;
    }
  }),
);

const ImageQuery = z.object({ size: z.enum(['thumb', 'preview']).default('preview') });

// The same rule as GET /v1/moderation/:id/images/:image_id: only the pending Style's own images.
consoleRoutes.get('/styles/:id/images/:image_id', (c) =>
  asModerator(c, async () => {
    const size = ImageQuery.safeParse(c.req.query()).data?.size ?? 'preview';
    const image = await pendingStyleImage(c.env.DB, c.req.param('id'), c.req.param('image_id'));
    const policy = await imagePolicyOf(c.env.DB, image);
    const made = await rendition(c.env.IMAGES, rendererFor(c.env), image, size, policy.watermarked ? watermarkSecret(c.env) : null);
    return c.body(made.body as ReadableStream, 200, { 'content-type': made.contentType, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' });
  }),
);

consoleRoutes.onError((error, c) => {
  if (error instanceof DomainError) {
    const status = problemCodes[error.code] as 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500;
    if (error.code === 'rate_limited' && typeof error.extra.retry_after === 'number') c.header('retry-after', String(error.extra.retry_after));
    return c.html(<MessagePage title="That did not work" message={error.detail} />, status);
  }
  console.error(`${c.req.method} ${new URL(c.req.url).pathname} failed`, error);
  return c.html(<MessagePage title="Something went wrong" message="Something went wrong on our side. Nothing was decided; please try again." />, 500);
});

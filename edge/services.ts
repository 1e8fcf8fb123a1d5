// The side effects the domain uses, chosen from configuration in one place.
import { and } from 'drizzle-orm';
import { readConfig } from './config';
import type { Bindings } from './env';
import { imagesBindingRenderer } from './imaging/images-binding';
import { deliverOutbox, httpMailSender, type MailSender } from './mail/delivery';
import { photonRenderer } from './imaging/photon';
import type { ImageRenderer } from './imaging/renderer';
import { channelPublisher, type EventPublisher } from './live/publisher';
import { bindingLimiter } from './rate-limits/binding';
import type { RateHit, RateLimiter } from './rate-limits/limiter';
import { localLimiter } from './rate-limits/local';
import { type RateRuleName, rateRuleNames, rateRules } from './rate-limits/rules';

const bindingRenderers = new WeakMap<ImagesBinding, ImageRenderer>();

/** The Images binding where it is bound (production); the WASM renderer locally and in tests. */
export function rendererFor(env: Bindings): ImageRenderer {
  const binding = env.IMAGES_API;
  if (!binding) return photonRenderer;
  let renderer = bindingRenderers.get(binding);
  if (!renderer) bindingRenderers.set(binding, (renderer = imagesBindingRenderer(binding, photonRenderer)));
  return renderer;
}

/** Live events go to each user's channel (the USER_EVENTS Durable Objects). */
export function eventsFor(env: Bindings): EventPublisher {
  return channelPublisher(env.USER_EVENTS);
}

/**
 * Each rate limit through Cloudflare's binding where it is bound, outside development; else the
 * local counter in D1, whose limits the RATE_LIMIT_* vars set (development, tests, the bench).
 */
export function rateLimiterFor(env: Bindings): RateLimiter {
  const config = readConfig(env);
  const local = localLimiter(env.DB, config.rateLimits);
  const bound = config.development ? [] : rateRuleNames.filter((rule) => env[rateRules[rule].binding]);
  if (!bound.length) return local;
  const remote = bindingLimiter(Object.fromEntries(bound.map((rule) => [rule, env[rateRules[rule].binding]])) as Record<RateRuleName, RateLimit>);
  if (bound.length === rateRuleNames.length) return remote;
  const pick = (rule: RateRuleName) => (bound.includes(rule) ? remote : local);
  return {
    hit: (rule, key) => pick(rule).hit(rule, key),
    withRead: (read, hits) => Promise.all([read, Promise.all(hits.map((h) => pick(h.rule).hit(h.rule, h.key)))]),
    async inBatch(hits) {
      const isRemote = (h: RateHit) => bound.includes(h.rule);
      const [near, far] = await Promise.all([local.inBatch(hits.filter((h) => !isRemote(h))), remote.inBatch(hits.filter(isRemote))]);
      return {
        admits: and(near.admits, far.admits)!,
        statements: near.statements,
        async verdicts(results) {
          const [nearVerdicts, farVerdicts] = await Promise.all([near.verdicts(results), far.verdicts([])]);
          return hits.map((h) => (isRemote(h) ? farVerdicts : nearVerdicts).shift()!);
        },
      };
    },
  };
}

/** The HTTP mail API where one is configured (MAIL_API_URL, MAIL_API_KEY, MAIL_FROM); null locally, where mail stays in the outbox. */
export function mailSenderFor(env: Bindings): MailSender | null {
  return env.MAIL_API_URL && env.MAIL_API_KEY && env.MAIL_FROM ? httpMailSender({ url: env.MAIL_API_URL, apiKey: env.MAIL_API_KEY, from: env.MAIL_FROM }) : null;
}

/**
 * Sends what waits in the outbox now, after the request that wrote it has answered, rather than
 * at the next cron (a sign-in code is valid 10 minutes; the cron runs every 5). Each row is
 * claimed before it is sent, so this and a cron at the same moment send it once.
 */
export function deliverMailSoon(env: Bindings, ctx: Pick<ExecutionContext, 'waitUntil'>): void {
  const sender = mailSenderFor(env);
  if (!sender) return;
  ctx.waitUntil(deliverOutbox(env.DB, sender, new Date()).then(
    () => undefined,
    (error: unknown) => console.error('sending mail right away failed; the cron will try again', error),
  ));
}

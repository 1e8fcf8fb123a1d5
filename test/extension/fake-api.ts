// A stand-in for the Worker at the network edge, speaking API v1's wire format (paths, JSON,
// problem+json errors, rotating refresh tokens) so the extension is tested against the contract.
import type { TokenPair } from '../../shared/api/auth';
import type { Purchase } from '../../shared/api/credits';
import { builtInModels, findModel, publicModel } from '../../shared/catalog';
import { creditPacks, findPack } from '../../shared/catalog/packs';
import type { PublicModel } from '../../shared/catalog/types';
import { createPng } from '../fakes/png';

const problem = (status: number, code: string, detail: string) =>
  new Response(JSON.stringify({ type: `/problems/${code}`, title: code, status, detail, code }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const ok = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

type FakeUser = { id: string; email: string; handle: null; display_name: null; roles: 'user'[] };

/** A private Style as the catalog lists it to its owner. */
export function privateStyle(id: string, name: string): PublicModel {
  return { ...publicModel(findModel('flux-schnell')!), id, kind: 'private', name, description: 'A private Style', license: 'not_available', verified: false };
}

export function createFakeApi(options: { accessTtl?: number; code?: string } = {}) {
  const user: FakeUser = { id: 'usr_1', email: 'ada@example.test', handle: null, display_name: null, roles: ['user'] };
  /** Everyone who signed in, by email: ada is the first; any other address becomes the next user. */
  const users = new Map<string, FakeUser>([[user.email, user]]);
  const state = {
    calls: [] as { method: string; path: string; search: string; auth: string | null; body: any; idempotencyKey?: string | null }[],
    /** Refresh and access tokens alive, each to the user it was given to. */
    liveRefresh: new Map<string, FakeUser>(),
    liveAccess: new Map<string, FakeUser>(),
    /** Private Styles, each listed to its owner only. */
    styles: [] as { ownerId: string; model: PublicModel }[],
    counter: 0,
    credits: { balance: 120, held: 8, available: 112 } as { balance: number; held: number; available: number; owed?: number },
    down: false,
    generations: new Map<string, any>(),
    /** Polls of a generation before it completes. */
    pollsToFinish: 1,
    licenses: [] as { id: string; image_id: string; model_id: string; price: number; terms: string; issued_at: string; certificate_url: string }[],
    /** Pins, each the caller's own (owner kept beside it, never shown). */
    pins: [] as { ownerId: string; pin: { id: string; kind: 'character' | 'product'; name: string; image_ids: string[]; created_at: string; updated_at: string } }[],
    /** What image-to-prompt says it read: 'caption+pixels' where a captioner is bound. */
    promptSource: 'pixels' as 'pixels' | 'caption+pixels',
    /** Purchases of packs, oldest first, each with its buyer, the key that started it and its Checkout Session. */
    purchases: [] as { ownerId: string; key: string; session: { id: string; url: string }; purchase: Purchase }[],
    /** A server with no payments set up: the checkout answers 503 service_unavailable. */
    paymentsOff: false,
    /** Where the checkout says to pay, when a test wants another address than the fake Stripe page. */
    checkoutUrl: null as string | null,
  };
  const code = options.code ?? '123456';

  function pair(to: FakeUser): TokenPair {
    state.counter += 1;
    const access = `access-${state.counter}`;
    const refresh = `refresh-${state.counter}`;
    state.liveAccess.set(access, to);
    state.liveRefresh.set(refresh, to);
    return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: options.accessTtl ?? 900, user: to };
  }

  function userFor(email: string): FakeUser {
    let found = users.get(email);
    if (!found) users.set(email, (found = { id: `usr_${users.size + 1}`, email, handle: null, display_name: null, roles: ['user'] }));
    return found;
  }

  const view = ({ polls: _p, idempotencyKey: _k, ...g }: any) => g;

  /** The Checkout Session of a purchase as the API answers it. */
  const sessionOf = (p: (typeof state.purchases)[number]) => ({ id: p.session.id, url: p.session.url, purchase_id: p.purchase.id });

  /**
   * Settles a purchase as the webhook would (paid grants its credits) and returns it as the
   * API shows it, ready for a `purchase.completed` message.
   */
  function settlePurchase(id: string, status: Exclude<Purchase['status'], 'pending'>): Purchase {
    const found = state.purchases.find((p) => p.purchase.id === id)!;
    if (status === 'paid' && found.purchase.status === 'pending') {
      const c = state.credits;
      state.credits = { ...c, balance: c.balance + found.purchase.credits, available: c.available + found.purchase.credits };
    }
    found.purchase = { ...found.purchase, status, paid_at: status === 'paid' ? new Date().toISOString() : found.purchase.paid_at };
    return found.purchase;
  }

  /** The API's words for a pin's images out of bounds (1 to 10). */
  const pinImagesProblem = (ids: string[]) =>
    !ids.length ? problem(422, 'validation_failed', 'A pin needs at least one image') : ids.length > 10 ? problem(422, 'validation_failed', 'A pin holds at most 10 images') : null;

  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.method === 'POST' || request.method === 'PATCH' ? await request.json().catch(() => ({})) : undefined;
    const auth = request.headers.get('authorization');
    state.calls.push({ method: request.method, path: url.pathname, search: url.search, auth, body, idempotencyKey: request.headers.get('idempotency-key') });
    if (state.down) throw new TypeError('Failed to fetch');
    const bearer = auth?.replace(/^Bearer /, '') ?? '';

    switch (`${request.method} ${url.pathname}`) {
      case 'POST /v1/auth/email/start':
        return ok({ sent: true }, 202);
      case 'POST /v1/auth/email/verify':
        return body.code === code ? ok(pair(userFor(body.email))) : problem(401, 'unauthorized', 'That code is not right. 4 tries left.');
      case 'POST /v1/auth/refresh': {
        const owner = state.liveRefresh.get(body.refresh_token);
        if (!owner || !state.liveRefresh.delete(body.refresh_token)) return problem(401, 'unauthorized', 'This sign-in was ended for your safety. Sign in again.');
        return ok(pair(owner));
      }
      case 'POST /v1/auth/logout':
        state.liveRefresh.clear();
        return new Response(null, { status: 204 });
      case 'POST /v1/events/ticket':
        return state.liveAccess.has(bearer) ? ok({ url: `ws://api.test/v1/events?ticket=t${++state.counter}`, expires_in: 30 }) : problem(401, 'unauthorized', 'Sign in to continue.');
      case 'GET /v1/credits':
        return state.liveAccess.has(bearer) ? ok(state.credits) : problem(401, 'unauthorized', 'Sign in to continue.');
      case 'GET /v1/credits/packs':
        return ok({ items: creditPacks });
      case 'POST /v1/credits/checkout': {
        const caller = state.liveAccess.get(bearer);
        if (!caller) return problem(401, 'unauthorized', 'Sign in to continue.');
        const pack = findPack(body.pack_id);
        if (!pack) return problem(422, 'validation_failed', 'There is no such pack.');
        if (state.paymentsOff) return problem(503, 'service_unavailable', 'Buying credits is not set up on this server yet.');
        // The API makes a key when none is sent; the same key again answers the same session.
        const key = request.headers.get('idempotency-key') ?? crypto.randomUUID();
        const earlier = state.purchases.find((p) => p.ownerId === caller.id && p.key === key);
        if (earlier) return earlier.purchase.pack_id === pack.id ? ok(sessionOf(earlier), 201) : problem(409, 'conflict', 'This purchase was started for another pack.');
        const n = ++state.counter;
        const at = new Date(Date.UTC(2026, 10, 1) + state.purchases.length * 60_000).toISOString();
        const started = {
          ownerId: caller.id,
          key,
          session: { id: `cs_test_${n}`, url: state.checkoutUrl ?? `https://checkout.stripe.fake/c/pay/cs_test_${n}` },
          purchase: { id: `pur_${n}`, pack_id: pack.id, credits: pack.credits, amount: pack.price.amount, currency: pack.price.currency, status: 'pending' as const, created_at: at, paid_at: null },
        };
        state.purchases.push(started);
        return ok(sessionOf(started), 201);
      }
      case 'GET /v1/credits/purchases': {
        const caller = state.liveAccess.get(bearer);
        if (!caller) return problem(401, 'unauthorized', 'Sign in to continue.');
        // Newest first, in pages of `limit`; the cursor is the last id of the page before.
        const all = state.purchases.filter((p) => p.ownerId === caller.id).map((p) => p.purchase).reverse();
        const limit = Number(url.searchParams.get('limit') ?? 50);
        const cursor = url.searchParams.get('cursor');
        const from = cursor ? all.findIndex((p) => p.id === cursor) + 1 : 0;
        const page = all.slice(from, from + limit);
        return ok({ items: page, next_cursor: from + limit < all.length ? page.at(-1)!.id : null });
      }
      case 'GET /v1/models': {
        // The bearer is optional here; a valid one also lists the caller's own private Styles.
        if (auth && !state.liveAccess.has(bearer)) return problem(401, 'unauthorized', 'Sign in to continue.');
        const caller = state.liveAccess.get(bearer);
        const own = state.styles.filter((s) => s.ownerId === caller?.id).map((s) => s.model);
        return ok({ items: [...builtInModels.map(publicModel), ...own], next_cursor: null });
      }
      case 'POST /v1/pins': {
        const caller = state.liveAccess.get(bearer);
        if (!caller) return problem(401, 'unauthorized', 'Sign in to continue.');
        const refused = pinImagesProblem(body.image_ids);
        if (refused) return refused;
        const at = new Date().toISOString();
        const pin = { id: `pin_${++state.counter}`, kind: body.kind, name: body.name, image_ids: body.image_ids, created_at: at, updated_at: at };
        state.pins.push({ ownerId: caller.id, pin });
        return ok(pin, 201);
      }
      case 'GET /v1/pins': {
        const caller = state.liveAccess.get(bearer);
        if (!caller) return problem(401, 'unauthorized', 'Sign in to continue.');
        return ok({ items: state.pins.filter((p) => p.ownerId === caller.id).map((p) => p.pin), next_cursor: null });
      }
      case 'POST /v1/image-to-prompt':
        if (!state.liveAccess.has(bearer)) return problem(401, 'unauthorized', 'Sign in to continue.');
        return ok({ prompt: `An image read from ${body.image_id}, in warm tones`, attributes: {}, source: state.promptSource });
      case 'POST /v1/quotes': {
        if (!state.liveAccess.has(bearer)) return problem(401, 'unauthorized', 'Sign in to continue.');
        const model = findModel(body.model_id) ?? state.styles.find((s) => s.model.id === body.model_id)!.model;
        const cpi = model.resolutions.find((r) => r.id === body.resolution)?.credits_per_image ?? 0;
        const total = cpi * body.batch;
        return ok({ model_id: model.id, credits_per_image: cpi, batch: body.batch, total, available: state.credits.available, affordable: total <= state.credits.available });
      }
      case 'POST /v1/generations': {
        if (!state.liveAccess.has(bearer)) return problem(401, 'unauthorized', 'Sign in to continue.');
        // The ledger refuses any hold while credits are owing, whatever the balance.
        if (state.credits.owed) return problem(402, 'account_owing', `A refunded purchase left ${state.credits.owed} credits owing. Buy credits to settle it, then generate again.`);
        const id = `gen_${state.generations.size + 1}`;
        const generation = {
          id, model_id: body.model_id, operation: 'generate', status: 'queued', prompt: body.prompt, batch: body.batch, resolution: body.resolution,
          aspect_ratio: body.aspect_ratio, width: 512, height: 512, cost: { credits_per_image: 1, held: body.batch, charged: 0, refunded: 0 },
          progress: { delivered: 0, pending: body.batch }, images: [], seed: body.seed ?? 7, provider: 'offline', warnings: [], created_at: new Date().toISOString(), polls: 0,
          idempotencyKey: request.headers.get('idempotency-key'),
        };
        state.generations.set(id, generation);
        return ok(view(generation), 202);
      }
      case 'GET /v1/licenses':
        return state.liveAccess.has(bearer) ? ok({ items: state.licenses, next_cursor: null }) : problem(401, 'unauthorized', 'Sign in to continue.');
      case 'GET /v1/generations':
      {
        // Newest first, in pages of `limit`; the cursor is the last id of the page before.
        const all = [...state.generations.values()].reverse();
        const limit = Number(url.searchParams.get('limit') ?? 20);
        const cursor = url.searchParams.get('cursor');
        const from = cursor ? all.findIndex((g) => g.id === cursor) + 1 : 0;
        const page = all.slice(from, from + limit);
        return ok({ items: page.map(view), next_cursor: from + limit < all.length ? page.at(-1)!.id : null });
      }
      default: {
        const onePin = /^\/v1\/pins\/([^/]+)$/.exec(url.pathname);
        if (onePin) {
          const caller = state.liveAccess.get(bearer);
          if (!caller) return problem(401, 'unauthorized', 'Sign in to continue.');
          const found = state.pins.find((p) => p.pin.id === onePin[1] && p.ownerId === caller.id);
          if (!found) return problem(404, 'not_found', 'That pin was not found.');
          if (request.method === 'GET') return ok(found.pin);
          if (request.method === 'DELETE') {
            state.pins = state.pins.filter((p) => p !== found);
            return new Response(null, { status: 204 });
          }
          if (request.method === 'PATCH') {
            const refused = body.image_ids !== undefined ? pinImagesProblem(body.image_ids) : null;
            if (refused) return refused;
            found.pin = { ...found.pin, ...(body.name !== undefined ? { name: body.name } : {}), ...(body.image_ids ? { image_ids: body.image_ids } : {}), updated_at: new Date().toISOString() };
            return ok(found.pin);
          }
        }
        const edit = /^\/v1\/images\/([^/]+)\/edits$/.exec(url.pathname);
        if (edit && request.method === 'POST') {
          if (!state.liveAccess.has(bearer)) return problem(401, 'unauthorized', 'Sign in to continue.');
          if (body.op === 'instruct' && !body.prompt) return problem(422, 'validation_failed', 'Say what to change');
          const model = findModel(body.model_id ?? 'flux-edit')!;
          const id = `gen_${state.generations.size + 1}`;
          const cpi = model.resolutions[0]!.credits_per_image;
          const generation = {
            id, model_id: model.id, operation: body.op, status: 'queued', prompt: body.prompt ?? 'A variation of this image', batch: 1, resolution: model.resolutions[0]!.id,
            aspect_ratio: '1:1', width: 1024, height: 1024, cost: { credits_per_image: cpi, held: cpi, charged: 0, refunded: 0 },
            progress: { delivered: 0, pending: 1 }, images: [], seed: 7, provider: 'offline', warnings: [], created_at: new Date().toISOString(), polls: 0,
            idempotencyKey: request.headers.get('idempotency-key'),
          };
          state.generations.set(id, generation);
          return ok(view(generation), 202);
        }
        const one = /^\/v1\/generations\/([^/]+)$/.exec(url.pathname);
        if (one && request.method === 'GET') {
          const g = state.generations.get(one[1]!);
          if (!g) return problem(404, 'not_found', 'That generation was not found.');
          if (++g.polls >= state.pollsToFinish && g.status === 'queued') {
            g.status = 'succeeded';
            g.images = Array.from({ length: g.batch }, (_, i) => ({ id: `img_${g.id}_${i}`, status: 'succeeded', width: 16, height: 16, preview_url: `/v1/images/img_${g.id}_${i}/preview`, thumb_url: `/v1/images/img_${g.id}_${i}/thumb`, policy: { watermarked: false, license: 'free', licensed: false, downloadable: true } }));
            g.cost = { ...g.cost, held: 0, charged: g.batch };
            g.progress = { delivered: g.batch, pending: 0 };
          }
          return ok(view(g));
        }
        const oneImage = /^\/v1\/images\/([^/]+)$/.exec(url.pathname);
        if (oneImage && request.method === 'GET') {
          if (!state.liveAccess.has(bearer)) return problem(401, 'unauthorized', 'Sign in to continue.');
          const id = oneImage[1]!;
          const licensed = state.licenses.some((l) => l.image_id === id);
          const v = licensed ? '?licensed=1' : '';
          return ok({ id, kind: 'generated', width: 16, height: 16, bytes: 100, sha256: 'x', content_type: 'image/png', source_url: null, page_url: null, page_title: null, policy: { watermarked: !licensed, license: 'per_image', licensed, downloadable: licensed }, preview_url: `/v1/images/${id}/preview${v}`, thumb_url: `/v1/images/${id}/thumb${v}`, created_at: new Date().toISOString() });
        }
        if (/^\/v1\/images\/[^/]+\/(thumb|preview)$/.test(url.pathname) && request.method === 'GET') {
          return state.liveAccess.has(bearer) ? new Response(createPng(16, 16, [200, 100, 50]), { headers: { 'content-type': 'image/png' } }) : problem(401, 'unauthorized', 'Sign in to continue.');
        }
        return problem(404, 'not_found', `There is no ${request.method} ${url.pathname}.`);
      }
    }
  }) as typeof globalThis.fetch;

  return { fetch, state, code, user, settlePurchase };
}

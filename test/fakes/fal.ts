// A local fal that speaks fal's queue protocol: submit at /{endpoint}?fal_webhook=, status,
// result and cancel under /{owner}/{alias}/requests/{id} (subpath dropped, as fal does),
// `Authorization: Key …`, FastAPI-style error bodies, images served from its own host, and
// webhooks signed with ED25519 over id, user, timestamp and the body's SHA-256, with the
// public key at its own JWKS URL. Deliveries that are refused are retried, as fal does.
// Written against the Fetch API so it runs in workerd tests and behind a Node server alike.
import { createPng } from './png';

export interface FalFakeOptions {
  origin?: string;
  key?: string;
  userId?: string;
  /** The webhook signing key; a fresh one when not given. */
  keys?: CryptoKeyPair;
  /** How webhooks reach the API under test. */
  deliver: (request: Request) => Promise<Response>;
}

interface FakeRequest {
  id: string;
  endpoint: string;
  input: Record<string, any>;
  webhook: string | null;
  state: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED';
  /** The result body and status fal answers with once completed. */
  result?: { status: number; body: unknown };
  canceled: boolean;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

export async function createFalFake(options: FalFakeOptions) {
  const origin = options.origin ?? 'https://queue.fal.fake';
  const key = options.key ?? 'fake-key-id:fake-key-secret';
  const userId = options.userId ?? 'fal-user-1';
  let keys = options.keys ?? ((await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair);
  const requests = new Map<string, FakeRequest>();
  const files = new Map<string, Uint8Array<ArrayBuffer>>();

  /** What the next requests do; tests set these. */
  const behaviour = {
    /** Complete requests at once (true) or leave them queued until `complete(id)` (false). */
    autoComplete: true,
    /** Send webhooks on completion. */
    webhooks: true,
    /** Across the next images made, flag this many as NSFW (fal returns a blank stand-in). */
    nsfwImages: 0,
    /** The next N submits answer 429 with this Retry-After (seconds). */
    rateLimitSubmits: 0,
    retryAfterSeconds: 1,
    /** The next N submits answer 500. */
    serverErrorSubmits: 0,
    /** The next N submits are refused as invalid (422). */
    rejectSubmits: 0,
    /** The next N requests complete with a 422 result (e.g. invalid input). */
    failRequests: 0,
    /** Deliver each webhook this many times (duplicates). */
    deliveries: 1,
  };
  const log = {
    submits: [] as { endpoint: string; input: Record<string, any>; webhook: string | null; auth: string | null }[],
    statusPaths: [] as string[],
    cancels: [] as string[],
    webhooks: [] as { requestId: string; status: number }[],
  };

  async function sign(requestId: string, timestamp: string, body: string, signer = userId): Promise<string> {
    const digest = hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)));
    const message = new TextEncoder().encode(`${requestId}\n${signer}\n${timestamp}\n${digest}`);
    return hex(await crypto.subtle.sign({ name: 'Ed25519' }, keys.privateKey, message));
  }

  /** The webhook fal would send for a completed request, signed (or tampered with, for tests). */
  async function webhookFor(request: FakeRequest, overrides: { timestamp?: number; body?: string; signature?: string; userId?: string } = {}) {
    const ok = request.result!.status < 300;
    const body =
      overrides.body ??
      JSON.stringify({
        error: ok ? null : `Invalid status code: ${request.result!.status}`,
        gateway_request_id: request.id,
        payload: request.result!.body,
        request_id: request.id,
        status: ok ? 'OK' : 'ERROR',
      });
    const timestamp = String(overrides.timestamp ?? Math.floor(Date.now() / 1000));
    return new Request(request.webhook!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-fal-webhook-request-id': request.id,
        'x-fal-webhook-user-id': overrides.userId ?? userId,
        'x-fal-webhook-timestamp': timestamp,
        'x-fal-webhook-signature': overrides.signature ?? (await sign(request.id, timestamp, body, overrides.userId)),
      },
      body,
    });
  }

  /** Webhooks waiting to go out, with how often each was refused. */
  const outbox: { request: FakeRequest; refusals: number }[] = [];

  /**
   * Sends waiting webhooks, as fal's delivery service does on its own schedule: a refused
   * delivery stays for the next round (fal retries ten times over two hours).
   */
  async function pump(): Promise<number> {
    let sent = 0;
    for (const item of outbox.splice(0)) {
      const response = await options.deliver(await webhookFor(item.request));
      log.webhooks.push({ requestId: item.request.id, status: response.status });
      if (response.ok) sent++;
      else if (item.refusals < 20) outbox.push({ request: item.request, refusals: item.refusals + 1 });
    }
    return sent;
  }

  function complete(id: string) {
    const request = requests.get(id)!;
    if (request.canceled || request.state === 'COMPLETED') return;
    request.state = 'COMPLETED';
    const tool = /esrgan|birefnet|vectorize/.exec(request.endpoint)?.[0];
    if (tool) {
      // Image tools answer with one `image`: upscaled by `scale`, cut out, or vectorized.
      const scale = tool === 'esrgan' ? Number(request.input.scale ?? 4) : 1;
      const name = `${id}-${tool}.${tool === 'vectorize' ? 'svg' : 'png'}`;
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path fill="#123456" d="M0 0L10 0L10 10Z"/></svg>';
      files.set(name, tool === 'vectorize' ? new TextEncoder().encode(svg) : createPng(8 * scale, 4 * scale, [10, 20, 30]));
      request.result = { status: 200, body: { image: { url: `${origin}/files/${name}`, width: 8 * scale, height: 4 * scale, content_type: tool === 'vectorize' ? 'image/svg+xml' : 'image/png' } } };
    } else if (behaviour.failRequests > 0) {
      behaviour.failRequests--;
      request.result = { status: 422, body: { detail: [{ loc: ['body', 'prompt'], msg: 'The prompt was flagged', type: 'value_error' }] } };
    } else {
      const n = Number(request.input.num_images ?? 1);
      const flags: boolean[] = [];
      const images = [];
      for (let i = 0; i < n; i++) {
        const nsfw = behaviour.nsfwImages > 0;
        if (nsfw) behaviour.nsfwImages--;
        flags.push(nsfw);
        const name = `${id}-${i}.png`;
        files.set(name, createPng(24, 16, nsfw ? [0, 0, 0] : [40 + i * 20, 120, 200]));
        images.push({ url: `${origin}/files/${name}`, width: 24, height: 16, content_type: 'image/png' });
      }
      request.result = { status: 200, body: { images, timings: { inference: 0.4 }, seed: 17454220438242315174n.toString(), has_nsfw_concepts: flags, prompt: request.input.prompt } };
    }
    if (request.webhook && behaviour.webhooks) for (let i = 0; i < behaviour.deliveries; i++) outbox.push({ request, refusals: 0 });
  }

  /** `owner/alias/requests/{id}[/status|/cancel]`, as fal serves them (no subpath). */
  function requestRoute(path: string) {
    const match = /^\/([^/]+)\/([^/]+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(path);
    if (!match) return null;
    const request = requests.get(decodeURIComponent(match[3]!));
    const appId = `${match[1]}/${match[2]}`;
    return { request: request && request.endpoint.split('/').slice(0, 2).join('/') === appId ? request : undefined, op: match[4] ?? '' };
  }

  async function handle(raw: Request): Promise<Response> {
    const url = new URL(raw.url);
    if (url.pathname === '/.well-known/jwks.json') {
      const jwk = (await crypto.subtle.exportKey('jwk', keys.publicKey)) as JsonWebKey;
      return json({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: 'fake-1' }] });
    }
    if (url.pathname.startsWith('/files/')) {
      const name = url.pathname.slice('/files/'.length);
      const file = files.get(name);
      return file ? new Response(file, { headers: { 'content-type': name.endsWith('.svg') ? 'image/svg+xml' : 'image/png' } }) : new Response('not found', { status: 404 });
    }
    if (raw.headers.get('authorization') !== `Key ${key}`) return json({ detail: 'No user found for Key ID and Secret' }, 401);

    const route = requestRoute(url.pathname);
    if (route) {
      if (!route.request) return json({ detail: 'Request not found' }, 404);
      const request = route.request;
      if (route.op === '/status' && raw.method === 'GET') {
        log.statusPaths.push(url.pathname);
        const urls = { response_url: `${origin}${url.pathname.replace(/\/status$/, '')}`, status_url: `${origin}${url.pathname}` };
        return json(request.state === 'COMPLETED' ? { status: 'COMPLETED', logs: null, metrics: { inference_time: 0.4 }, request_id: request.id, ...urls } : { status: request.state, queue_position: 0, request_id: request.id, ...urls }, request.state === 'COMPLETED' ? 200 : 202);
      }
      if (route.op === '/cancel' && raw.method === 'PUT') {
        log.cancels.push(request.id);
        if (request.state === 'COMPLETED') return json({ status: 'ALREADY_COMPLETED' }, 400);
        request.canceled = true;
        return json({ status: 'CANCELLATION_REQUESTED' }, 202);
      }
      if (route.op === '' && raw.method === 'GET') {
        if (request.state !== 'COMPLETED') return json({ detail: 'Request is still in progress' }, 400);
        return json(request.result!.body, request.result!.status);
      }
      return json({ detail: 'Method Not Allowed' }, 405);
    }

    if (raw.method === 'POST') {
      if (behaviour.rateLimitSubmits > 0) {
        behaviour.rateLimitSubmits--;
        return json({ detail: 'Rate limit exceeded' }, 429, { 'retry-after': String(behaviour.retryAfterSeconds) });
      }
      if (behaviour.serverErrorSubmits > 0) {
        behaviour.serverErrorSubmits--;
        return json({ detail: 'Internal Server Error', error_type: 'internal_error' }, 500, { 'x-fal-error-type': 'internal_error' });
      }
      if (behaviour.rejectSubmits > 0) {
        behaviour.rejectSubmits--;
        return json({ detail: [{ loc: ['body', 'image_size'], msg: 'Image size is not supported by this model', type: 'value_error' }] }, 422);
      }
      const endpoint = url.pathname.slice(1);
      const input = (await raw.json().catch(() => null)) as Record<string, any> | null;
      if (!input) return json({ detail: 'Invalid JSON body' }, 422);
      const isTool = /esrgan|birefnet|vectorize/.test(endpoint);
      if (isTool && typeof input.image_url !== 'string') {
        return json({ detail: [{ loc: ['body', 'image_url'], msg: 'field required', type: 'value_error.missing' }] }, 422);
      }
      if (!isTool && (typeof input.prompt !== 'string' || !input.prompt)) {
        return json({ detail: [{ loc: ['body', 'prompt'], msg: 'field required', type: 'value_error.missing' }] }, 422);
      }
      const n = Number(input.num_images ?? 1);
      if (!Number.isInteger(n) || n < 1 || n > 4) {
        return json({ detail: [{ loc: ['body', 'num_images'], msg: 'ensure this value is less than or equal to 4', type: 'value_error.number.not_le' }] }, 422);
      }
      const id = crypto.randomUUID();
      const webhook = url.searchParams.get('fal_webhook');
      requests.set(id, { id, endpoint, input, webhook, state: 'IN_QUEUE', canceled: false });
      log.submits.push({ endpoint, input, webhook, auth: raw.headers.get('authorization') });
      if (behaviour.autoComplete) complete(id);
      const base = `${origin}/${endpoint.split('/').slice(0, 2).join('/')}/requests/${id}`;
      return json({ request_id: id, gateway_request_id: id, status: 'IN_QUEUE', queue_position: 0, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` });
    }
    return json({ detail: 'Not Found' }, 404);
  }

  return {
    origin,
    key,
    jwksUrl: `${origin}/.well-known/jwks.json`,
    behaviour,
    log,
    requests,
    handle,
    complete,
    pump,
    /** Webhooks not yet delivered. */
    get waiting() {
      return outbox.length;
    },
    webhookFor: (id: string, overrides?: Parameters<typeof webhookFor>[1]) => webhookFor(requests.get(id)!, overrides),
    /** Replaces the signing key, as a key rotation at fal would. */
    async rotateKey() {
      keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    },
  };
}

export type FalFake = Awaited<ReturnType<typeof createFalFake>>;

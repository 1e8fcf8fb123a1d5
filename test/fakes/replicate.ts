// A local Replicate that speaks its HTTP API: predictions on official models and by version,
// `Authorization: Bearer`, prediction objects with urls, problem-style errors (title, detail,
// status), 429 with retry_after, cancel, and webhooks signed the Standard Webhooks way
// (HMAC-SHA256 over id.timestamp.body, key = base64 of the secret after whsec_).
import { createPng } from './png';

export interface ReplicateFakeOptions {
  origin?: string;
  token?: string;
  /** The account's webhook secret (whsec_…); random when not given. */
  secret?: string;
  deliver: (request: Request) => Promise<Response>;
}

interface Prediction {
  id: string;
  model: string;
  version: string;
  input: Record<string, any>;
  output: string[] | null;
  error: string | null;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  webhook: string | null;
  filter: string[];
  created_at: string;
  completed_at: string | null;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}) => json({ title, detail, status, ...extra }, status);

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function createReplicateFake(options: ReplicateFakeOptions) {
  const origin = options.origin ?? 'https://api.replicate.fake';
  const token = options.token ?? 'r8_fake_token';
  const secret = options.secret ?? `whsec_${base64(crypto.getRandomValues(new Uint8Array(24)))}`;
  const predictions = new Map<string, Prediction>();
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  const behaviour = { autoComplete: true, webhooks: true, rateLimitCreates: 0, retryAfterSeconds: 1, failPredictions: 0, deliveries: 1, output: null as Uint8Array<ArrayBuffer> | null };
  const log = { creates: [] as { path: string; body: any; auth: string | null }[], cancels: [] as string[], webhooks: [] as { id: string; status: number }[] };

  const view = (p: Prediction) => ({
    id: p.id,
    model: p.model,
    version: p.version,
    input: p.input,
    logs: '',
    output: p.output,
    data_removed: false,
    error: p.error,
    status: p.status,
    source: 'api',
    created_at: p.created_at,
    started_at: p.created_at,
    completed_at: p.completed_at,
    urls: { web: `https://replicate.fake/p/${p.id}`, get: `${origin}/v1/predictions/${p.id}`, cancel: `${origin}/v1/predictions/${p.id}/cancel` },
    ...(p.status === 'succeeded' ? { metrics: { predict_time: 0.5, total_time: 0.6 } } : {}),
  });

  async function signed(p: Prediction, overrides: { id?: string; timestamp?: number; body?: string; signature?: string } = {}) {
    const id = overrides.id ?? `msg_${crypto.randomUUID().replace(/-/g, '')}`;
    const timestamp = String(overrides.timestamp ?? Math.floor(Date.now() / 1000));
    const body = overrides.body ?? JSON.stringify(view(p));
    const keyBytes = Uint8Array.from(atob(secret.slice('whsec_'.length)), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`)));
    return new Request(p.webhook!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': overrides.signature ?? `v1,${base64(mac)}` },
      body,
    });
  }

  /** Deliveries waiting to go out. Retries of one delivery keep its webhook-id. */
  const outbox: { prediction: Prediction; id: string; refusals: number }[] = [];

  /** Sends waiting webhooks; a refused one stays for the next round, as Replicate retries. */
  async function pump(): Promise<number> {
    let sent = 0;
    for (const item of outbox.splice(0)) {
      const response = await options.deliver(await signed(item.prediction, { id: item.id }));
      log.webhooks.push({ id: item.id, status: response.status });
      if (response.ok) sent++;
      else if (item.refusals < 20) outbox.push({ ...item, refusals: item.refusals + 1 });
    }
    return sent;
  }

  function complete(id: string) {
    const p = predictions.get(id)!;
    if (p.status !== 'starting' && p.status !== 'processing') return;
    if (behaviour.failPredictions > 0) {
      behaviour.failPredictions--;
      p.status = 'failed';
      p.error = 'NSFW content detected. Try running it again, or try a different prompt.';
    } else {
      p.status = 'succeeded';
      p.output = Array.from({ length: Number(p.input.num_outputs ?? 1) }, (_, i) => {
        const name = `${id}/out-${i}.png`;
        files.set(name, behaviour.output ?? createPng(20, 20, [200, 60 + i * 30, 90]));
        return `${origin}/files/${name}`;
      });
    }
    p.completed_at = new Date().toISOString();
    if (p.webhook && behaviour.webhooks && p.filter.includes('completed')) {
      // A duplicate delivery is another message (a new webhook-id), as a redelivery would be.
      for (let i = 0; i < behaviour.deliveries; i++) outbox.push({ prediction: p, id: `msg_${crypto.randomUUID().replace(/-/g, '')}`, refusals: 0 });
    }
  }

  async function create(raw: Request, model: string | null): Promise<Response> {
    if (behaviour.rateLimitCreates > 0) {
      behaviour.rateLimitCreates--;
      return json({ detail: `Request was throttled. Your rate limit resets in ~${behaviour.retryAfterSeconds}s.`, status: 429, retry_after: behaviour.retryAfterSeconds }, 429, { 'retry-after': String(behaviour.retryAfterSeconds) });
    }
    const body = (await raw.json().catch(() => null)) as Record<string, any> | null;
    log.creates.push({ path: new URL(raw.url).pathname, body, auth: raw.headers.get('authorization') });
    if (!body || typeof body.input !== 'object') return problem(422, 'Input validation failed', '- input is required\n', { invalid_fields: [{ type: 'required', field: 'input', description: 'input is required' }] });
    const allowed = new Set(['input', 'webhook', 'webhook_events_filter', 'version', 'stream']);
    const extra = Object.keys(body).find((k) => !allowed.has(k));
    if (extra) return problem(422, 'Input validation failed', `- Additional property ${extra} is not allowed\n`, { invalid_fields: [{ type: 'additional_property_not_allowed', field: '', description: `Additional property ${extra} is not allowed` }] });
    if (!model && !body.version) return problem(422, 'Invalid version or not permitted', "The specified version does not exist (or perhaps you don't have permission to use it?)");
    const n = Number(body.input.num_outputs ?? 1);
    if (typeof body.input.prompt !== 'string' || !Number.isInteger(n) || n < 1 || n > 4) {
      return problem(422, 'Input validation failed', '- input.num_outputs: Must be less than or equal to 4\n', { invalid_fields: [{ type: 'less_than_or_equal', field: 'input.num_outputs', description: 'Must be less than or equal to 4' }] });
    }
    const id = crypto.randomUUID().replace(/-/g, '').slice(0, 26);
    const p: Prediction = {
      id,
      model: model ?? 'owner/model',
      version: model ? 'hidden' : body.version,
      input: body.input,
      output: null,
      error: null,
      status: 'starting',
      webhook: body.webhook ?? null,
      filter: body.webhook_events_filter ?? ['start', 'output', 'logs', 'completed'],
      created_at: new Date().toISOString(),
      completed_at: null,
    };
    predictions.set(id, p);
    if (behaviour.autoComplete) complete(id);
    return json(view(p), 201);
  }

  async function handle(raw: Request): Promise<Response> {
    const url = new URL(raw.url);
    if (url.pathname.startsWith('/files/')) {
      const file = files.get(url.pathname.slice('/files/'.length));
      return file ? new Response(file, { headers: { 'content-type': 'image/png' } }) : new Response('not found', { status: 404 });
    }
    const auth = raw.headers.get('authorization');
    if (!auth) return problem(401, 'Unauthenticated', 'You did not pass an authentication token');
    if (auth !== `Bearer ${token}`) return problem(401, 'Unauthenticated', 'You did not pass a valid authentication token');
    const modelRoute = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(url.pathname);
    if (modelRoute && raw.method === 'POST') return create(raw, `${modelRoute[1]}/${modelRoute[2]}`);
    if (url.pathname === '/v1/predictions' && raw.method === 'POST') return create(raw, null);
    const one = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(url.pathname);
    if (one) {
      const p = predictions.get(one[1]!);
      if (!p) return problem(404, 'Not found', 'The requested resource could not be found.');
      if (one[2] && raw.method === 'POST') {
        log.cancels.push(p.id);
        if (p.status === 'starting' || p.status === 'processing') {
          p.status = 'canceled';
          p.completed_at = new Date().toISOString();
        }
        return json(view(p));
      }
      if (!one[2] && raw.method === 'GET') return json(view(p));
    }
    if (url.pathname === '/v1/webhooks/default/secret' && raw.method === 'GET') return json({ key: secret });
    if (url.pathname === '/v1/account' && raw.method === 'GET') return json({ type: 'user', username: 'fake-studio', name: 'Fake Studio', github_url: null });
    return problem(404, 'Not found', 'The requested resource could not be found.');
  }

  return {
    origin,
    token,
    secret,
    behaviour,
    log,
    predictions,
    handle,
    complete,
    pump,
    get waiting() {
      return outbox.length;
    },
    signedWebhook: (id: string, overrides?: Parameters<typeof signed>[1]) => signed(predictions.get(id)!, overrides),
  };
}

export type ReplicateFake = ReturnType<typeof createReplicateFake>;

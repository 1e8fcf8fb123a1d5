// A local Replicate that speaks its HTTP API: predictions on official models and by version,
// trainings that push a new version to a destination model, `Authorization: Bearer`, objects
// with urls, problem-style errors (title, detail, status; 404 for a model it does not know,
// 422 with invalid_fields for a malformed body), cancel, and webhooks signed the Standard
// Webhooks way (HMAC-SHA256 over id.timestamp.body, key = base64 of the secret after whsec_).
// Its failure scenarios are Replicate's documented ones: 429 whose only hint is the body's
// words ("Your rate limit resets in ~Ns."), a create that answers 500 or never answers while
// the prediction may have started anyway. Proven against the official client in
// test/providers/replicate/official-client.test.ts.
import { unzipSync } from 'fflate';
import { createPng } from './png';

export interface ReplicateFakeOptions {
  origin?: string;
  token?: string;
  /** The account's webhook secret (whsec_…); random when not given. */
  secret?: string;
  deliver: (request: Request) => Promise<Response>;
  /** Official models (owner/name) that run without a version; others answer 404. */
  models?: string[];
  /** Model versions by id (what POST /predictions accepts), each naming its model. */
  versions?: Record<string, string>;
  /** Trainer versions by id ("owner/name" of the trainer): POST …/versions/{id}/trainings. */
  trainers?: Record<string, string>;
  /** Models of this account that trainings may push versions to. */
  destinations?: string[];
  /** The fake's clock in ms (rate limits, timestamps); real time when not given. */
  now?: () => number;
}

/** ostris/flux-dev-lora-trainer's version in the fake (any 64-hex id would do). */
export const FLUX_LORA_TRAINER = { model: 'ostris/flux-dev-lora-trainer', version: 'e440909d3512c31646ee2e0c7d6f6f4923224863a6a10c494606e79fb5844497' } as const;

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

interface Training {
  id: string;
  model: string;
  version: string;
  destination: string;
  input: Record<string, any>;
  output: { version: string; weights: string } | null;
  error: string | null;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  logs: string;
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
  const now = options.now ?? (() => Date.now());
  const models = new Set(options.models ?? ['black-forest-labs/flux-schnell', 'black-forest-labs/flux-dev']);
  const versions = new Map(Object.entries(options.versions ?? {}));
  const trainers = new Map(Object.entries(options.trainers ?? { [FLUX_LORA_TRAINER.version]: FLUX_LORA_TRAINER.model }));
  const destinations = new Set(options.destinations ?? ['studio/styles']);
  const predictions = new Map<string, Prediction>();
  const trainings = new Map<string, Training>();
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  const behaviour = {
    autoComplete: true,
    webhooks: true,
    /** The next N creates answer 429 ("resets in ~retryAfterSeconds s"). */
    rateLimitCreates: 0,
    retryAfterSeconds: 1,
    /** A new account's limit: creates a minute (sliding window on the fake's clock); 0: none. */
    createsPerMinute: 0,
    /** Also send a Retry-After header with a 429 (Replicate does not promise one). */
    retryAfterHeader: false,
    /** The next N creates answer 500; the next N never answer (the caller's timeout fires). */
    serverErrorCreates: 0,
    timeoutCreates: 0,
    /** Whether such a create started the prediction anyway (it may have: the caller cannot know). */
    startsAnyway: true,
    /** The next N reads (GET) answer 503. */
    serverErrorReads: 0,
    failPredictions: 0,
    deliveries: 1,
    output: null as Uint8Array<ArrayBuffer> | null,
  };
  const log = {
    creates: [] as { path: string; body: any; auth: string | null }[],
    throttled: [] as number[],
    trainings: [] as { path: string; body: any }[],
    cancels: [] as string[],
    webhooks: [] as { id: string; status: number }[],
  };
  const recentCreates: number[] = [];

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

  async function signed(p: { webhook: string | null }, payload: unknown, overrides: { id?: string; timestamp?: number; body?: string; signature?: string } = {}) {
    const id = overrides.id ?? `msg_${crypto.randomUUID().replace(/-/g, '')}`;
    const timestamp = String(overrides.timestamp ?? Math.floor(now() / 1000));
    const body = overrides.body ?? JSON.stringify(payload);
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
  const outbox: { target: { webhook: string | null }; payload: () => unknown; id: string; refusals: number }[] = [];

  /** Sends waiting webhooks; a refused one stays for the next round, as Replicate retries. */
  async function pump(): Promise<number> {
    let sent = 0;
    for (const item of outbox.splice(0)) {
      const response = await options.deliver(await signed(item.target, item.payload(), { id: item.id }));
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
    p.completed_at = new Date(now()).toISOString();
    if (p.webhook && behaviour.webhooks && p.filter.includes('completed')) {
      // A duplicate delivery is another message (a new webhook-id), as a redelivery would be.
      for (let i = 0; i < behaviour.deliveries; i++) outbox.push({ target: p, payload: () => view(p), id: `msg_${crypto.randomUUID().replace(/-/g, '')}`, refusals: 0 });
    }
  }

  /** Replicate's throttle answer: the wait only in words, unless the scenario adds the header. */
  function throttled(seconds: number): Response {
    log.throttled.push(now());
    return json({ detail: `Request was throttled. Your rate limit resets in ~${seconds}s.` }, 429, behaviour.retryAfterHeader ? { 'retry-after': String(seconds) } : {});
  }

  /** 429 when this create is over the scenario's limit; else counts it. */
  function overLimit(): Response | null {
    if (behaviour.rateLimitCreates > 0) {
      behaviour.rateLimitCreates--;
      return throttled(behaviour.retryAfterSeconds);
    }
    if (behaviour.createsPerMinute > 0) {
      const t = now();
      while (recentCreates.length && recentCreates[0]! <= t - 60_000) recentCreates.shift();
      if (recentCreates.length >= behaviour.createsPerMinute) return throttled(Math.max(1, Math.ceil((recentCreates[0]! + 60_000 - t) / 1000)));
      recentCreates.push(t);
    }
    return null;
  }

  /** A create that fails on the wire after (perhaps) starting: 500, or no answer at all. */
  function brokenCreate(): 'server-error' | 'timeout' | null {
    if (behaviour.serverErrorCreates > 0) return behaviour.serverErrorCreates--, 'server-error';
    if (behaviour.timeoutCreates > 0) return behaviour.timeoutCreates--, 'timeout';
    return null;
  }

  function afterBroken(broken: 'server-error' | 'timeout'): Response {
    if (broken === 'server-error') return json({ title: 'Internal Server Error', detail: 'Internal Server Error', status: 500 }, 500);
    // What fetch rejects with when the caller's AbortSignal.timeout fires.
    throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  }

  const invalid = (field: string, type: string, description: string) =>
    problem(422, 'Input validation failed', `- ${field ? `${field}: ` : ''}${description}\n`, { invalid_fields: [{ type, field, description }] });

  async function readBody(raw: Request): Promise<Record<string, any> | Response> {
    const text = await raw.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return invalid('', 'invalid_json', 'The request body is not valid JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return invalid('', 'invalid_type', 'The request body must be an object');
    return body as Record<string, any>;
  }

  async function create(raw: Request, model: string | null): Promise<Response> {
    const limited = overLimit();
    if (limited) return limited;
    const read = await readBody(raw);
    if (read instanceof Response) return read;
    const body = read;
    log.creates.push({ path: new URL(raw.url).pathname, body, auth: raw.headers.get('authorization') });
    if (typeof body.input !== 'object' || body.input === null) return invalid('input', 'required', 'input is required');
    const allowed = new Set(['input', 'webhook', 'webhook_events_filter', 'version', 'stream']);
    const extra = Object.keys(body).find((k) => !allowed.has(k));
    if (extra) return invalid('', 'additional_property_not_allowed', `Additional property ${extra} is not allowed`);
    if (!model) {
      const [named, id] = String(body.version ?? '').includes(':') ? String(body.version).split(':') : [undefined, body.version];
      const owner = versions.get(String(id));
      if (!owner || (named && named !== owner)) return problem(422, 'Invalid version or not permitted', "The specified version does not exist (or perhaps you don't have permission to use it?)");
      model = owner;
      body.version = id;
    }
    const n = Number(body.input.num_outputs ?? 1);
    if (typeof body.input.prompt !== 'string') return invalid('input.prompt', 'required', 'prompt is required');
    if (!Number.isInteger(n) || n < 1 || n > 4) return invalid('input.num_outputs', 'less_than_or_equal', 'Must be less than or equal to 4');
    const broken = brokenCreate();
    const id = crypto.randomUUID().replace(/-/g, '').slice(0, 26);
    const p: Prediction = {
      id,
      model,
      version: body.version ?? 'hidden',
      input: body.input,
      output: null,
      error: null,
      status: 'starting',
      webhook: body.webhook ?? null,
      filter: body.webhook_events_filter ?? ['start', 'output', 'logs', 'completed'],
      created_at: new Date(now()).toISOString(),
      completed_at: null,
    };
    if (broken && !behaviour.startsAnyway) return afterBroken(broken);
    predictions.set(id, p);
    if (behaviour.autoComplete) complete(id);
    if (broken) return afterBroken(broken);
    return json(view(p), 201);
  }

  const trainingView = (t: Training) => ({
    id: t.id,
    model: t.model,
    version: t.version,
    destination: t.destination,
    input: t.input,
    logs: t.logs,
    output: t.output,
    error: t.error,
    status: t.status,
    source: 'api',
    created_at: t.created_at,
    started_at: t.created_at,
    completed_at: t.completed_at,
    urls: { web: `https://replicate.fake/p/${t.id}`, get: `${origin}/v1/trainings/${t.id}`, cancel: `${origin}/v1/trainings/${t.id}/cancel` },
  });

  /** What the FLUX LoRA trainer checks of its zip: images, each with its caption .txt beside it. */
  function archiveProblem(value: unknown): Response | null {
    if (typeof value !== 'string') return invalid('input.input_images', 'required', 'input_images is required');
    if (/^https:\/\//.test(value)) return null;
    const data = /^data:application\/zip;base64,(.+)$/.exec(value);
    if (!data) return invalid('input.input_images', 'format', 'Does not match format \'uri\'');
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(Uint8Array.from(atob(data[1]!), (c) => c.charCodeAt(0)));
    } catch {
      return invalid('input.input_images', 'format', 'input_images is not a zip file');
    }
    const images = Object.keys(entries).filter((name) => /\.(png|jpe?g|webp)$/i.test(name));
    if (!images.length) return invalid('input.input_images', 'format', 'the zip holds no images');
    const uncaptioned = images.find((name) => !(name.replace(/\.[^.]+$/, '.txt') in entries));
    return uncaptioned ? invalid('input.input_images', 'format', `${uncaptioned} has no caption file`) : null;
  }

  async function createTraining(raw: Request, trainer: string, versionId: string): Promise<Response> {
    if (trainers.get(versionId) !== trainer) return problem(404, 'Not found', 'The requested resource could not be found.');
    const limited = overLimit();
    if (limited) return limited;
    const read = await readBody(raw);
    if (read instanceof Response) return read;
    const body = read;
    log.trainings.push({ path: new URL(raw.url).pathname, body });
    const extra = Object.keys(body).find((k) => !['destination', 'input', 'webhook', 'webhook_events_filter'].includes(k));
    if (extra) return invalid('', 'additional_property_not_allowed', `Additional property ${extra} is not allowed`);
    if (typeof body.destination !== 'string') return invalid('destination', 'required', 'destination is required');
    if (!destinations.has(body.destination)) return problem(404, 'Not found', `The destination model ${body.destination} does not exist. Create it first.`);
    if (typeof body.input !== 'object' || body.input === null) return invalid('input', 'required', 'input is required');
    const archive = archiveProblem(body.input.input_images);
    if (archive) return archive;
    if (body.input.steps !== undefined && !(Number.isInteger(body.input.steps) && body.input.steps >= 3 && body.input.steps <= 6000)) {
      return invalid('input.steps', 'less_than_or_equal', 'Must be between 3 and 6000');
    }
    const broken = brokenCreate();
    if (broken && !behaviour.startsAnyway) return afterBroken(broken);
    const t: Training = {
      id: crypto.randomUUID().replace(/-/g, '').slice(0, 26),
      model: trainer,
      version: versionId,
      destination: body.destination,
      input: body.input,
      output: null,
      error: null,
      status: 'starting',
      logs: '',
      webhook: body.webhook ?? null,
      filter: body.webhook_events_filter ?? ['start', 'output', 'logs', 'completed'],
      created_at: new Date(now()).toISOString(),
      completed_at: null,
    };
    trainings.set(t.id, t);
    if (broken) return afterBroken(broken);
    return json(trainingView(t), 201);
  }

  /** Runs a training to its end: a new version of the destination, which predictions then accept. */
  function completeTraining(id: string, outcome: 'succeeded' | 'failed' = 'succeeded') {
    const t = trainings.get(id)!;
    if (t.status !== 'starting' && t.status !== 'processing') return;
    t.logs += ' 50%|#####     | 500/1000 [04:10<04:10,  2.00it/s]\n100%|##########| 1000/1000 [08:20<00:00,  2.00it/s]\n';
    if (outcome === 'failed') {
      t.status = 'failed';
      t.error = 'CUDA out of memory.';
    } else {
      const version = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
      versions.set(version, t.destination);
      t.status = 'succeeded';
      t.output = { version: `${t.destination}:${version}`, weights: `${origin}/files/${t.id}/trained_model.tar` };
    }
    t.completed_at = new Date(now()).toISOString();
    if (t.webhook && behaviour.webhooks && t.filter.includes('completed')) outbox.push({ target: t, payload: () => trainingView(t), id: `msg_${crypto.randomUUID().replace(/-/g, '')}`, refusals: 0 });
  }

  /** Moves a training on: processing, with the trainer's progress in its logs. */
  function progressTraining(id: string, percent: number) {
    const t = trainings.get(id)!;
    t.status = 'processing';
    // tqdm's bar, as the trainer prints it (what the official client's parseProgressFromLogs reads).
    t.logs += `${String(percent).padStart(3)}%|${'#'.repeat(percent / 10).padEnd(10)}| ${percent * 10}/1000 [01:00<01:30,  2.00it/s]\n`;
  }

  async function handle(raw: Request): Promise<Response> {
    const url = new URL(raw.url);
    if (url.pathname.startsWith('/files/')) {
      const file = files.get(url.pathname.slice('/files/'.length));
      return file ? new Response(file, { headers: { 'content-type': 'image/png' } }) : new Response('not found', { status: 404 });
    }
    if (raw.method === 'GET' && url.pathname.startsWith('/v1/') && behaviour.serverErrorReads > 0) {
      behaviour.serverErrorReads--;
      return problem(503, 'Service Unavailable', 'Service Unavailable');
    }
    const auth = raw.headers.get('authorization');
    if (!auth) return problem(401, 'Unauthenticated', 'You did not pass an authentication token');
    if (auth !== `Bearer ${token}`) return problem(401, 'Unauthenticated', 'You did not pass a valid authentication token');
    const modelRoute = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(url.pathname);
    if (modelRoute && raw.method === 'POST') {
      const model = `${modelRoute[1]}/${modelRoute[2]}`;
      // Only official models run without a version; any other name is not found.
      if (!models.has(model)) return problem(404, 'Not found', 'The requested resource could not be found.');
      return create(raw, model);
    }
    const trainingRoute = /^\/v1\/models\/([^/]+)\/([^/]+)\/versions\/([^/]+)\/trainings$/.exec(url.pathname);
    if (trainingRoute && raw.method === 'POST') return createTraining(raw, `${trainingRoute[1]}/${trainingRoute[2]}`, trainingRoute[3]!);
    const training = /^\/v1\/trainings\/([^/]+)(\/cancel)?$/.exec(url.pathname);
    if (training) {
      const t = trainings.get(training[1]!);
      if (!t) return problem(404, 'Not found', 'The requested resource could not be found.');
      if (training[2] && raw.method === 'POST') {
        log.cancels.push(t.id);
        if (t.status === 'starting' || t.status === 'processing') {
          t.status = 'canceled';
          t.completed_at = new Date(now()).toISOString();
        }
        return json(trainingView(t));
      }
      if (!training[2] && raw.method === 'GET') return json(trainingView(t));
    }
    if (url.pathname === '/v1/predictions' && raw.method === 'POST') return create(raw, null);
    const one = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(url.pathname);
    if (one) {
      const p = predictions.get(one[1]!);
      if (!p) return problem(404, 'Not found', 'The requested resource could not be found.');
      if (one[2] && raw.method === 'POST') {
        log.cancels.push(p.id);
        if (p.status === 'starting' || p.status === 'processing') {
          p.status = 'canceled';
          p.completed_at = new Date(now()).toISOString();
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
    trainings,
    versions,
    completeTraining,
    progressTraining,
    signedWebhook: (id: string, overrides?: Parameters<typeof signed>[2]) => signed(predictions.get(id)!, view(predictions.get(id)!), overrides),
    signedTrainingWebhook: (id: string, overrides?: Parameters<typeof signed>[2]) => signed(trainings.get(id)!, trainingView(trainings.get(id)!), overrides),
  };
}

export type ReplicateFake = ReturnType<typeof createReplicateFake>;

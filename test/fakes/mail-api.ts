// A local HTTP mail API that speaks Resend's `POST /emails`: `Authorization: Bearer <key>`
// (401 missing_api_key, 403 invalid_api_key), a JSON body { from, to (an address or up to 50),
// subject, text or html } (422 missing_required_field, 422 validation_error for an address it
// cannot read), 200 { id }, and errors as { statusCode, name, message }. An `Idempotency-Key`
// (1–256 characters, else 400 invalid_idempotency_key) is remembered: the same key with the
// same body answers the first answer again and delivers nothing new, with another body 409
// invalid_idempotent_request, and while the first is still in flight 409
// concurrent_idempotent_requests. It can be told to fail the next requests: with a status (and
// a Retry-After), or by dropping the connection before or after it has taken the mail.

export type MailApiFailure =
  | { status: number; retryAfter?: string }
  /** `before`: nothing was taken; `after`: the mail was taken but its answer is lost. */
  | { drop: 'before' | 'after' };

export interface DeliveredMail {
  id: string;
  key: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface MailApiFakeOptions {
  origin?: string;
  apiKey?: string;
  /** How long each request takes to answer, so that concurrent senders really overlap. */
  latencyMs?: number;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const NAMED_ADDRESS = /^[^<>]*<([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>$/;

const names: Record<number, [string, string]> = {
  400: ['validation_error', 'We found an error with one or more fields in the request.'],
  408: ['request_timeout', 'The request took too long.'],
  422: ['validation_error', 'The request could not be processed.'],
  429: ['rate_limit_exceeded', 'Too many requests. You can only make 2 requests per second. See rate limit response headers for more information.'],
  500: ['internal_server_error', 'An unexpected error occurred.'],
  502: ['application_error', 'An unexpected error occurred, please try again.'],
  503: ['application_error', 'An unexpected error occurred, please try again.'],
};

const error = (statusCode: number, name: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ statusCode, name, message }), { status: statusCode, headers: { 'content-type': 'application/json', ...headers } });

export function createMailApiFake(options: MailApiFakeOptions = {}) {
  const origin = options.origin ?? 'https://mail.fake';
  const apiKey = options.apiKey ?? 're_fake_key';
  const failures: MailApiFailure[] = [];
  const remembered = new Map<string, { body: string; answer?: { status: number; text: string } }>();
  /** Every request that reached the API, answered or not. */
  const requests: { key: string | null; to: unknown }[] = [];
  /** Mail the API took for delivery: once per idempotency key. */
  const delivered: DeliveredMail[] = [];

  async function take(request: Request, bodyText: string): Promise<Response> {
    const auth = request.headers.get('authorization');
    if (!auth?.startsWith('Bearer ')) return error(401, 'missing_api_key', 'Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY');
    if (auth.slice('Bearer '.length) !== apiKey) return error(403, 'invalid_api_key', 'API key is invalid');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(bodyText);
    } catch {
      return error(422, 'validation_error', 'Invalid JSON body.');
    }
    for (const field of ['from', 'to', 'subject'] as const) {
      if (body[field] === undefined || body[field] === '') return error(422, 'missing_required_field', `Missing \`${field}\` field.`);
    }
    if (typeof body.text !== 'string' && typeof body.html !== 'string') return error(422, 'missing_required_field', 'Missing `html` or `text` field.');
    const to = Array.isArray(body.to) ? body.to : [body.to];
    if (to.length > 50) return error(422, 'validation_error', 'Too many recipients. The `to` field supports a maximum of 50 recipients.');
    if (!to.every((a) => typeof a === 'string' && (ADDRESS.test(a) || NAMED_ADDRESS.test(a)))) {
      return error(422, 'validation_error', 'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.');
    }
    if (typeof body.from !== 'string' || !(ADDRESS.test(body.from) || NAMED_ADDRESS.test(body.from))) {
      return error(422, 'validation_error', 'Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.');
    }
    const id = crypto.randomUUID();
    delivered.push({ id, key: request.headers.get('idempotency-key'), from: body.from, to: to as string[], subject: String(body.subject), text: String(body.text ?? '') });
    return new Response(JSON.stringify({ id }), { status: 200, headers: { 'content-type': 'application/json' } });
  }

  const pause = () => new Promise((r) => setTimeout(r, options.latencyMs ?? 0));

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.origin !== origin || url.pathname !== '/emails') return error(404, 'not_found', 'The requested endpoint does not exist.');
    if (request.method !== 'POST') return error(405, 'method_not_allowed', 'Method is not allowed for the requested path.');
    const bodyText = await request.text();
    const key = request.headers.get('idempotency-key');
    requests.push({ key, to: parseTo(bodyText) });
    const failure = failures.shift();
    if (failure && 'drop' in failure && failure.drop === 'before') {
      await pause();
      throw new TypeError('Network connection lost.');
    }
    if (failure && 'status' in failure) {
      await pause();
      const [name, message] = names[failure.status] ?? ['application_error', 'An unexpected error occurred.'];
      return error(failure.status, name, message, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }
    if (key !== null && (key.length < 1 || key.length > 256)) return error(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.');
    const seen = key === null ? undefined : remembered.get(key);
    if (seen && seen.body !== bodyText) return error(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.');
    if (seen && !seen.answer) return error(409, 'concurrent_idempotent_requests', 'Same idempotency key used while original request is still in progress.');
    let answer: Response;
    if (seen?.answer) {
      await pause();
      answer = new Response(seen.answer.text, { status: seen.answer.status, headers: { 'content-type': 'application/json' } });
    } else {
      const entry: { body: string; answer?: { status: number; text: string } } = { body: bodyText };
      if (key !== null) remembered.set(key, entry);
      await pause();
      answer = await take(request, bodyText);
      // Like Resend, only a request that got past validation keeps its key.
      if (key !== null && answer.status < 400) entry.answer = { status: answer.status, text: await answer.clone().text() };
      else if (key !== null) remembered.delete(key);
    }
    if (failure && 'drop' in failure && failure.drop === 'after') throw new TypeError('Network connection lost.');
    return answer;
  }

  return {
    origin,
    apiKey,
    url: `${origin}/emails`,
    requests,
    delivered,
    handle,
    /** A fetch that reaches this fake, for senders that take one. */
    fetcher: (async (input: RequestInfo | URL, init?: RequestInit) => handle(new Request(input, init))) as typeof fetch,
    /** The next requests fail this way, in order; after them the API works again. */
    fail(...next: MailApiFailure[]) {
      failures.push(...next);
    },
    /** What was delivered to one address. */
    deliveredTo(address: string): DeliveredMail[] {
      return delivered.filter((m) => m.to.includes(address));
    },
  };
}

export type MailApiFake = ReturnType<typeof createMailApiFake>;

function parseTo(text: string): unknown {
  try {
    return JSON.parse(text).to;
  } catch {
    return undefined;
  }
}

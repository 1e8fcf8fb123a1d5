// The deploy-time self-check: every configured provider is tried with a call that costs nothing
// and changes nothing (a lookup of a request that does not exist, the account, the signing
// keys), and what is wrong is said in words an operator can act on.
import type { ProviderCheck, ProviderChecks } from '../../shared/api/admin';
import { builtInModels } from '../../shared/catalog/models';
import type { Bindings } from '../env';
import { appId } from '../providers/fal';
import { FAL_DEFAULTS } from '../providers/registry';
import { CAPTION_MODEL } from '../providers/workers-ai';

type Check = ProviderCheck['checks'][number];
type Subject = ProviderCheck['subject'];

const TIMEOUT_MS = 8_000;

/** One GET with a deadline: the answer, or why there was none, in words. */
async function get(url: string, headers: Record<string, string> = {}): Promise<{ response: Response } | { failed: string }> {
  try {
    return { response: await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) }) };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const said = timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : error instanceof Error ? error.message : String(error);
    return { failed: said.replace(/\.$/, '') };
  }
}

/** What a provider said when it refused: its own `detail`, or the status. */
async function saidBy(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { detail?: unknown; title?: unknown };
    if (typeof body.detail === 'string') return `${response.status}: ${body.detail}`;
  } catch {
    // not JSON: the status says enough
  }
  return String(response.status);
}

const pass = (name: string, detail: string): Check => ({ name, ok: true, detail });
const fail = (name: string, detail: string): Check => ({ name, ok: false, detail });
const verdict = (subject: Subject, checks: Check[]): ProviderCheck => ({ subject, status: checks.every((c) => c.ok) ? 'ok' : 'problem', checks });
const notConfigured = (subject: Subject, detail: string): ProviderCheck => ({ subject, status: 'not_configured', checks: [pass('configured', detail)] });

async function checkFal(env: Bindings): Promise<ProviderCheck> {
  if (!env.FAL_KEY) return notConfigured('fal', 'FAL_KEY is not set: models that list fal run elsewhere.');
  const base = (env.FAL_BASE_URL ?? FAL_DEFAULTS.baseUrl).replace(/\/$/, '');
  const jwksUrl = env.FAL_JWKS_URL ?? FAL_DEFAULTS.jwksUrl;
  const endpoint = builtInModels.flatMap((m) => m.providers).find((r) => r.id === 'fal')?.endpoint ?? 'fal-ai/flux/schnell';
  const checks: Check[] = [];

  // The status of a request that does not exist: 404 with a good key, 401 with a bad one.
  const status = await get(`${base}/${appId(endpoint)}/requests/${crypto.randomUUID()}/status`, { authorization: `Key ${env.FAL_KEY}` });
  if ('failed' in status) checks.push(fail('key', `fal could not be reached at ${base}: ${status.failed}.`));
  else if (status.response.status === 401 || status.response.status === 403) checks.push(fail('key', `fal refused FAL_KEY (${await saidBy(status.response)}). Create a key at fal.ai/dashboard/keys and set it again.`));
  else if (status.response.status >= 500) checks.push(fail('key', `fal answered ${status.response.status}; the key could not be checked. Try again in a minute.`));
  else checks.push(pass('key', 'fal accepted FAL_KEY.'));

  // Webhooks are verified against these keys: without them every fal webhook is refused.
  const jwks = await get(jwksUrl);
  if ('failed' in jwks) checks.push(fail('webhook keys', `fal's signing keys could not be fetched from ${jwksUrl}: ${jwks.failed}. Every fal webhook will be refused (results then arrive by polling, late).`));
  else if (!jwks.response.ok) checks.push(fail('webhook keys', `${jwksUrl} answered ${jwks.response.status}, not fal's signing keys. Every fal webhook will be refused; check FAL_JWKS_URL.`));
  else {
    const body = (await jwks.response.json().catch(() => null)) as { keys?: { kty?: unknown; crv?: unknown; x?: unknown }[] } | null;
    const ed25519 = (body?.keys ?? []).filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string');
    checks.push(
      ed25519.length
        ? pass('webhook keys', `${ed25519.length} Ed25519 signing key${ed25519.length > 1 ? 's' : ''} at ${jwksUrl}.`)
        : fail('webhook keys', `${jwksUrl} holds no Ed25519 key: every fal webhook will be refused; check FAL_JWKS_URL.`),
    );
  }

  checks.push(
    env.FAL_USER_ID
      ? pass('account', 'Webhooks are accepted only when signed for FAL_USER_ID.')
      : fail('account', 'FAL_USER_ID is not set: a webhook fal signed for any other fal account would be accepted. Set it to your fal user id.'),
  );
  return verdict('fal', checks);
}

async function checkReplicate(env: Bindings): Promise<ProviderCheck> {
  if (!env.REPLICATE_API_TOKEN) return notConfigured('replicate', 'REPLICATE_API_TOKEN is not set: models that list Replicate run elsewhere.');
  const base = (env.REPLICATE_BASE_URL ?? 'https://api.replicate.com/v1').replace(/\/$/, '');
  const auth = { authorization: `Bearer ${env.REPLICATE_API_TOKEN}` };
  const checks: Check[] = [];

  const account = await get(`${base}/account`, auth);
  let tokenWorks = false;
  if ('failed' in account) checks.push(fail('token', `Replicate could not be reached at ${base}: ${account.failed}.`));
  else if (account.response.status === 401 || account.response.status === 403) checks.push(fail('token', `Replicate refused REPLICATE_API_TOKEN (${await saidBy(account.response)}). Create a token at replicate.com/account/api-tokens and set it again.`));
  else if (!account.response.ok) checks.push(fail('token', `Replicate answered ${account.response.status} for the account; the token could not be checked.`));
  else {
    tokenWorks = true;
    const who = ((await account.response.json().catch(() => ({}))) as { username?: unknown }).username;
    checks.push(pass('token', `Replicate accepted REPLICATE_API_TOKEN${typeof who === 'string' ? ` (account ${who})` : ''}.`));
  }

  const secret = env.REPLICATE_WEBHOOK_SECRET;
  if (!secret) checks.push(fail('webhook secret', 'REPLICATE_WEBHOOK_SECRET is not set: every Replicate webhook will be refused. Copy it from GET /v1/webhooks/default/secret.'));
  else if (!tokenWorks) checks.push(pass('webhook secret', 'REPLICATE_WEBHOOK_SECRET is set (not compared with the account’s: the token did not work).'));
  else {
    const theirs = await get(`${base}/webhooks/default/secret`, auth);
    if ('failed' in theirs || !theirs.response.ok) checks.push(pass('webhook secret', 'REPLICATE_WEBHOOK_SECRET is set (Replicate did not show the account’s secret to compare).'));
    else {
      const key = ((await theirs.response.json().catch(() => ({}))) as { key?: unknown }).key;
      checks.push(
        key === secret
          ? pass('webhook secret', 'REPLICATE_WEBHOOK_SECRET is the account’s webhook secret.')
          : fail('webhook secret', 'REPLICATE_WEBHOOK_SECRET is not the account’s webhook secret: every Replicate webhook will be refused. Copy it again from GET /v1/webhooks/default/secret.'),
      );
    }
  }
  return verdict('replicate', checks);
}

async function checkWorkersAi(env: Bindings): Promise<ProviderCheck> {
  const ai = env.AI;
  if (!ai) return notConfigured('workers-ai', 'The AI binding is not declared here (it is remote-only: declare it under [env.production]).');
  const checks: Check[] = [pass('binding', 'The AI binding is present.')];
  if (typeof ai.models !== 'function') return verdict('workers-ai', checks);
  // Listing models is free: each model the catalog or the captioner uses must be among them.
  const wanted = [...new Set([...builtInModels.flatMap((m) => m.providers).filter((r) => r.id === 'workers-ai').map((r) => r.endpoint), CAPTION_MODEL])];
  for (const model of wanted) {
    try {
      const found = await ai.models({ search: model.split('/').at(-1)! });
      checks.push(found.some((m) => m.name === model) ? pass(model, `${model} is available.`) : fail(model, `Workers AI has no model ${model}: fix the catalog entry.`));
    } catch (error) {
      checks.push(fail(model, `Workers AI could not list its models: ${error instanceof Error ? error.message : String(error)}.`));
    }
  }
  return verdict('workers-ai', checks);
}

async function checkComfyUi(env: Bindings): Promise<ProviderCheck> {
  const url = (env as { COMFYUI_URL?: string }).COMFYUI_URL;
  if (!url) return notConfigured('comfyui', 'COMFYUI_URL is not set.');
  const stats = await get(`${url.replace(/\/$/, '')}/system_stats`);
  if ('failed' in stats) return verdict('comfyui', [fail('server', `ComfyUI could not be reached at ${url}: ${stats.failed}. Is it running, and reachable from the internet (e.g. through a tunnel)?`)]);
  if (!stats.response.ok) return verdict('comfyui', [fail('server', `${url}/system_stats answered ${stats.response.status}: is COMFYUI_URL a ComfyUI server?`)]);
  const body = (await stats.response.json().catch(() => null)) as { system?: { comfyui_version?: unknown }; devices?: { name?: unknown }[] } | null;
  if (!body?.system) return verdict('comfyui', [fail('server', `${url}/system_stats did not answer as ComfyUI does.`)]);
  const devices = (body.devices ?? []).map((d) => d.name).filter((n): n is string => typeof n === 'string');
  const version = typeof body.system.comfyui_version === 'string' ? ` ${body.system.comfyui_version}` : '';
  return verdict('comfyui', [pass('server', `ComfyUI${version} answered${devices.length ? ` (${devices.join(', ')})` : ''}.`)]);
}

function checkMail(env: Bindings): ProviderCheck {
  const set = { MAIL_API_URL: env.MAIL_API_URL, MAIL_API_KEY: env.MAIL_API_KEY, MAIL_FROM: env.MAIL_FROM };
  const missing = Object.entries(set).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length === 3) return notConfigured('mail', 'No mail API is set: mail (sign-in codes too) stays in the outbox.');
  if (missing.length) return verdict('mail', [fail('settings', `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: mail stays in the outbox, so nobody receives a sign-in code.`)]);
  let https = false;
  try {
    https = new URL(env.MAIL_API_URL!).protocol === 'https:';
  } catch {
    // not a URL: said below
  }
  // Sending is the only call a mail API offers; the check stops at the settings.
  return verdict('mail', [https ? pass('settings', `Mail goes from ${env.MAIL_FROM} through ${env.MAIL_API_URL} (not contacted: a check would send mail).`) : fail('settings', 'MAIL_API_URL is not an https URL.')]);
}

function checkWebhooks(env: Bindings, requestOrigin: string): ProviderCheck {
  const asynchronous = [env.FAL_KEY && 'fal', env.REPLICATE_API_TOKEN && 'Replicate'].filter(Boolean).join(' and ');
  const development = env.ENVIRONMENT === 'development';
  const base = env.PUBLIC_API_URL;
  if (!base) {
    if (!asynchronous) return notConfigured('webhooks', 'PUBLIC_API_URL is not set; no configured provider sends webhooks.');
    const local = /^https?:\/\/(localhost|127\.|\[::1\])/.test(requestOrigin);
    return verdict('webhooks', [
      local || !development
        ? fail('public URL', `PUBLIC_API_URL is not set: ${asynchronous} will be sent webhooks at the origin of each request (${requestOrigin})${local ? ', which they cannot reach' : ''}. Set it to this API’s public https origin.`)
        : pass('public URL', `PUBLIC_API_URL is not set: webhooks go to the origin of each request (${requestOrigin}).`),
    ]);
  }
  let url: URL | null = null;
  try {
    url = new URL(base);
  } catch {
    // said below
  }
  if (!url) return verdict('webhooks', [fail('public URL', `PUBLIC_API_URL (${base}) is not a URL.`)]);
  if (url.protocol !== 'https:' && !development) return verdict('webhooks', [fail('public URL', `PUBLIC_API_URL (${base}) is not https: providers refuse to deliver webhooks to it.`)]);
  if (/^(localhost|127\.|\[::1\])/.test(url.host) && asynchronous) return verdict('webhooks', [fail('public URL', `PUBLIC_API_URL (${base}) is this machine: ${asynchronous} cannot reach it.`)]);
  return verdict('webhooks', [pass('public URL', `Providers send webhooks to ${url.origin}/v1/webhooks/<provider>.`)]);
}

export async function checkProviders(env: Bindings, requestOrigin: string, now: Date): Promise<ProviderChecks> {
  const items = await Promise.all([checkFal(env), checkReplicate(env), checkWorkersAi(env), checkComfyUi(env), checkMail(env), checkWebhooks(env, requestOrigin)]);
  return { ok: items.every((i) => i.status !== 'problem'), checked_at: now.toISOString(), items };
}

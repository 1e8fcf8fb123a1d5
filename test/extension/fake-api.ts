// A stand-in for the Worker at the network edge, speaking API v1's wire format (paths, JSON,
// problem+json errors, rotating refresh tokens) so the extension is tested against the contract.
import type { TokenPair } from '../../shared/api/auth';
import { builtInModels, publicModel } from '../../shared/catalog';

const problem = (status: number, code: string, detail: string) =>
  new Response(JSON.stringify({ type: `/problems/${code}`, title: code, status, detail, code }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const ok = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function createFakeApi(options: { accessTtl?: number; code?: string } = {}) {
  const user = { id: 'usr_1', email: 'ada@example.test', handle: null, display_name: null, roles: ['user' as const] };
  const state = {
    calls: [] as { method: string; path: string; auth: string | null; body: any }[],
    liveRefresh: new Set<string>(),
    liveAccess: new Set<string>(),
    counter: 0,
    credits: { balance: 120, held: 8, available: 112 },
    down: false,
  };
  const code = options.code ?? '123456';

  function pair(): TokenPair {
    state.counter += 1;
    const access = `access-${state.counter}`;
    const refresh = `refresh-${state.counter}`;
    state.liveAccess.add(access);
    state.liveRefresh.add(refresh);
    return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: options.accessTtl ?? 900, user };
  }

  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.method === 'POST' ? await request.json().catch(() => ({})) : undefined;
    const auth = request.headers.get('authorization');
    state.calls.push({ method: request.method, path: url.pathname, auth, body });
    if (state.down) throw new TypeError('Failed to fetch');
    const bearer = auth?.replace(/^Bearer /, '') ?? '';

    switch (`${request.method} ${url.pathname}`) {
      case 'POST /v1/auth/email/start':
        return ok({ sent: true }, 202);
      case 'POST /v1/auth/email/verify':
        return body.code === code ? ok(pair()) : problem(401, 'unauthorized', 'That code is not right. 4 tries left.');
      case 'POST /v1/auth/refresh':
        if (!state.liveRefresh.delete(body.refresh_token)) return problem(401, 'unauthorized', 'This sign-in was ended for your safety. Sign in again.');
        return ok(pair());
      case 'POST /v1/auth/logout':
        state.liveRefresh.clear();
        return new Response(null, { status: 204 });
      case 'GET /v1/credits':
        return state.liveAccess.has(bearer) ? ok(state.credits) : problem(401, 'unauthorized', 'Sign in to continue.');
      case 'GET /v1/models':
        return ok({ items: builtInModels.map(publicModel), next_cursor: null });
      default:
        return problem(404, 'not_found', `There is no ${request.method} ${url.pathname}.`);
    }
  }) as typeof globalThis.fetch;

  return { fetch, state, code, user };
}

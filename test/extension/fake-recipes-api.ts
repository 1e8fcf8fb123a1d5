// Recipes on the Worker's side for the panel's tests, speaking API v1's wire format
// (GET/POST/DELETE /v1/recipes): bodies validated by the contract's own schema, a name the
// caller already used a 409 in the Worker's words, each user's recipes their own.
// Everything else is answered by createFakeApi.
import { CreateRecipeBody, type Recipe } from '../../shared/api/recipes';
import { createFakeApi } from './fake-api';

const problem = (status: number, code: string, detail: string, extra: object = {}) =>
  new Response(JSON.stringify({ type: `/problems/${code}`, title: code, status, detail, code, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const ok = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function createFakeRecipesApi(options: Parameters<typeof createFakeApi>[0] = {}) {
  const base = createFakeApi(options);
  /** Every recipe, with its owner. */
  const recipes: (Recipe & { ownerId: string })[] = [];
  const view = ({ ownerId: _o, ...r }: Recipe & { ownerId: string }): Recipe => r;

  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (base.state.down || !url.pathname.startsWith('/v1/recipes')) return base.fetch(input, init);
    const auth = request.headers.get('authorization');
    const caller = base.state.liveAccess.get(auth?.replace(/^Bearer /, '') ?? '');
    const body = request.method === 'POST' ? await request.json().catch(() => null) : undefined;
    base.state.calls.push({ method: request.method, path: url.pathname, search: url.search, auth, body });
    if (!caller) return problem(401, 'unauthorized', 'Sign in to continue.');
    const mine = () => recipes.filter((r) => r.ownerId === caller.id);

    if (url.pathname === '/v1/recipes' && request.method === 'GET') return ok({ items: mine().reverse().map(view), next_cursor: null });
    if (url.pathname === '/v1/recipes' && request.method === 'POST') {
      const parsed = CreateRecipeBody.safeParse(body);
      if (!parsed.success) {
        return problem(422, 'validation_failed', 'Some fields need another look.', { errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) });
      }
      if (mine().some((r) => r.name === parsed.data.name)) return problem(409, 'conflict', `You already have a recipe called “${parsed.data.name}”. Choose another name.`);
      const recipe = { id: `rcp_${++base.state.counter}`, name: parsed.data.name, components: parsed.data.components, created_at: new Date().toISOString(), ownerId: caller.id };
      recipes.push(recipe);
      return ok(view(recipe), 201);
    }
    const one = /^\/v1\/recipes\/([^/]+)$/.exec(url.pathname);
    const found = one && mine().find((r) => r.id === one[1]);
    if (one && request.method === 'DELETE') {
      if (!found) return problem(404, 'not_found', 'That recipe was not found.');
      recipes.splice(recipes.indexOf(found), 1);
      return new Response(null, { status: 204 });
    }
    if (one && request.method === 'GET') return found ? ok(view(found)) : problem(404, 'not_found', 'That recipe was not found.');
    return problem(404, 'not_found', `There is no ${request.method} ${url.pathname}.`);
  }) as typeof globalThis.fetch;

  return { ...base, fetch, recipes };
}

export type FakeRecipesApi = ReturnType<typeof createFakeRecipesApi>;

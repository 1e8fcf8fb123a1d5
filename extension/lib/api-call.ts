// A small typed caller over the route declarations in shared/api/routes: the path, query,
// body and answer of each call are typed from the same declaration the Worker serves, and
// every answer is parsed with the zod schema declared for its status.
import type { RouteConfig } from '@hono/zod-openapi';
import type { z } from 'zod';
import { Problem } from '../../shared/api/problem';
import { ApiError, localProblem } from './problems';

export { ApiError, localProblem } from './problems';

type Json<T> = T extends { content: { 'application/json': { schema: infer S extends z.ZodType } } } ? S : never;
type SuccessStatus = 200 | 201 | 202;

/** What a route answers on success, as parsed. */
export type Answer<R extends RouteConfig> = [Json<R['responses'][Extract<keyof R['responses'], SuccessStatus>]>] extends [never]
  ? undefined // 204: no body
  : z.output<Json<R['responses'][Extract<keyof R['responses'], SuccessStatus>]>>;

type Request<R extends RouteConfig> = R['request'] extends infer Q
  ? (Q extends { params: infer P extends z.ZodType } ? { params: z.input<P> } : { params?: never }) &
      (Q extends { query: infer S extends z.ZodType } ? { query?: z.input<S> } : { query?: never }) &
      (Q extends { body: infer B } ? (Json<B> extends never ? { body?: BodyInit } : { body: z.input<Json<B>> }) : { body?: never })
  : never;

export type CallInput<R extends RouteConfig> = Request<R> & { token?: string | null; headers?: Record<string, string> };

export const unreachable = () => new ApiError(localProblem('network', 'Exactly cannot be reached. Check your connection and try again.'));

/** The API's problem, or one in our words when the answer was not one. */
export async function problemOf(response: Response, what: string): Promise<ApiError> {
  const problem = Problem.safeParse(await response.json().catch(() => null));
  return new ApiError(problem.success ? problem.data : localProblem('http_error', `${what} (${response.status}). Please try again.`, response.status));
}

/** The URL path of a route with its params filled in, and its query. */
export function pathOf(route: RouteConfig, params: Record<string, string> = {}, query: Record<string, unknown> = {}): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

export function createCaller(baseUrl: string, fetcher: typeof fetch) {
  /** Sends a request; failures to connect become a local `network` problem. */
  async function send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetcher(`${baseUrl}${path}`, init);
    } catch {
      throw unreachable();
    }
  }

  async function call<R extends RouteConfig>(route: R, input: CallInput<R>): Promise<Answer<R>> {
    const { params, query, body, token } = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; token?: string | null };
    const headers: Record<string, string> = { accept: 'application/json', ...input.headers };
    const json = route.request?.body?.content['application/json'] !== undefined;
    if (body !== undefined && json) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await send(pathOf(route, params, query), {
      method: route.method.toUpperCase(),
      headers,
      body: body === undefined ? undefined : json ? JSON.stringify(body) : (body as BodyInit),
    });
    if (!response.ok) throw await problemOf(response, 'Exactly answered with an error');
    const declared = (route.responses[response.status] as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.['application/json']?.schema as z.ZodType | undefined;
    if (!declared) {
      if (response.status === 204) return undefined as Answer<R>;
      throw new ApiError(localProblem('bad_response', 'Exactly sent an answer this version of the extension does not understand.', response.status));
    }
    const parsed = declared.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ApiError(localProblem('bad_response', 'Exactly sent an answer this version of the extension does not understand.', response.status));
    return parsed.data as Answer<R>;
  }

  return { call, send };
}

// The HTTP client of API v1, shared by the background (sign-in, refresh) and the side panel
// (reads with the access token). Failures arrive as ApiError carrying the server's problem.
import { z } from 'zod';
import { Credits, Me, TokenPair } from '../../shared/api/auth';
import { LedgerPage } from '../../shared/api/credits';
import { type GenerationBody, Quote } from '../../shared/api/generation';
import { ModelList } from '../../shared/api/models';
import { Generation, GenerationPage, UploadedImage } from '../../shared/api/generation';
import { Problem } from '../../shared/api/problem';

const License = z.object({ id: z.string(), image_id: z.string(), model_id: z.string(), price: z.number(), terms: z.string(), issued_at: z.string(), certificate_url: z.string() });
export type License = z.infer<typeof License>;

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
  }
  get status() {
    return this.problem.status;
  }
  get code() {
    return this.problem.code;
  }
}

/** A problem made on this side, for failures that never reached the API. */
export function localProblem(code: string, detail: string, status = 0): Problem {
  return { type: `/problems/${code}`, title: code, status, detail, code };
}

interface Request {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(baseUrl: string, fetcher: typeof fetch = (...args) => fetch(...args)) {
  async function request<S extends z.ZodType>(path: string, schema: S, init: Request = {}): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let response: Response;
    try {
      response = await fetcher(`${baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch {
      throw new ApiError(localProblem('network', 'Exactly cannot be reached. Check your connection and try again.'));
    }
    const text = await response.text();
    let data: unknown = undefined;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: handled below
    }
    if (!response.ok) {
      const problem = Problem.safeParse(data);
      throw new ApiError(
        problem.success ? problem.data : localProblem('http_error', `Exactly answered with an error (${response.status}). Please try again.`, response.status),
      );
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new ApiError(localProblem('bad_response', 'Exactly sent an answer this version of the extension does not understand.', response.status));
    return parsed.data;
  }

  return {
    startEmail: (email: string) => request('/v1/auth/email/start', z.object({ sent: z.boolean() }), { method: 'POST', body: { email } }),
    verifyEmail: (email: string, code: string) => request('/v1/auth/email/verify', TokenPair, { method: 'POST', body: { email, code } }),
    refresh: (refreshToken: string) => request('/v1/auth/refresh', TokenPair, { method: 'POST', body: { refresh_token: refreshToken } }),
    logout: (refreshToken: string | null, token: string | null) =>
      request('/v1/auth/logout', z.unknown(), { method: 'POST', body: refreshToken ? { refresh_token: refreshToken } : {}, token }),
    me: (token: string) => request('/v1/me', Me, { token }),
    credits: (token: string) => request('/v1/credits', Credits, { token }),
    ledger: (token: string) => request('/v1/credits/ledger', LedgerPage, { token }),
    models: () => request('/v1/models', ModelList),
    quote: (token: string, body: Partial<GenerationBody>) => request('/v1/quotes', Quote, { method: 'POST', body, token }),
    generate: (token: string, body: GenerationBody, idempotencyKey: string) =>
      request('/v1/generations', Generation, { method: 'POST', body, token, headers: { 'idempotency-key': idempotencyKey } }),
    generation: (token: string, id: string) => request(`/v1/generations/${encodeURIComponent(id)}`, Generation, { token }),
    generations: (token: string) => request('/v1/generations?limit=20', GenerationPage, { token }),
    cancelGeneration: (token: string, id: string) => request(`/v1/generations/${encodeURIComponent(id)}/cancel`, Generation, { method: 'POST', token }),
    /** Uploads image bytes with where they came from (headers are single-line text). */
    async upload(token: string, bytes: Uint8Array<ArrayBuffer>, contentType: string, from: { sourceUrl?: string | null; pageUrl?: string | null; pageTitle?: string | null }) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': contentType, accept: 'application/json' };
      const line = (v: string) => v.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c)).slice(0, 2000);
      if (from.sourceUrl && !from.sourceUrl.startsWith('data:') && !from.sourceUrl.startsWith('blob:')) headers['x-source-url'] = line(from.sourceUrl);
      if (from.pageUrl) headers['x-page-url'] = line(from.pageUrl);
      if (from.pageTitle) headers['x-page-title'] = line(from.pageTitle);
      let response: Response;
      try {
        response = await fetcher(`${baseUrl}/v1/images`, { method: 'POST', headers, body: bytes });
      } catch {
        throw new ApiError(localProblem('network', 'Exactly cannot be reached. Check your connection and try again.'));
      }
      const data = await response.json().catch(() => null);
      if (!response.ok) {
        const problem = Problem.safeParse(data);
        throw new ApiError(problem.success ? problem.data : localProblem('http_error', `The image could not be uploaded (${response.status}).`, response.status));
      }
      const parsed = UploadedImage.safeParse(data);
      if (!parsed.success) throw new ApiError(localProblem('bad_response', 'Exactly sent an answer this version of the extension does not understand.'));
      return parsed.data;
    },
    imageToPrompt: (token: string, imageId: string) =>
      request('/v1/image-to-prompt', z.object({ prompt: z.string(), attributes: z.record(z.string(), z.unknown()) }), { method: 'POST', body: { image_id: imageId }, token }),
    createPin: (token: string, body: { kind: 'character' | 'product'; name: string; image_ids: string[] }) =>
      request('/v1/pins', z.object({ id: z.string(), kind: z.string(), name: z.string(), image_ids: z.array(z.string()) }), { method: 'POST', body, token }),
    license: (token: string, imageId: string, idempotencyKey: string) =>
      request(`/v1/images/${encodeURIComponent(imageId)}/license`, License, { method: 'POST', token, headers: { 'idempotency-key': idempotencyKey } }),
    licenses: (token: string) => request('/v1/licenses', z.object({ items: z.array(License), next_cursor: z.string().nullable() }), { token }),
    /**
     * A download: the file as a Blob, or `pending` while the licensed extra it asks for is
     * still being made (the API answers 202 with the job).
     */
    async download(token: string, imageId: string, query: string): Promise<{ blob: Blob } | { pending: true }> {
      let response: Response;
      try {
        response = await fetcher(`${baseUrl}/v1/images/${encodeURIComponent(imageId)}/download${query}`, { headers: { authorization: `Bearer ${token}` } });
      } catch {
        throw new ApiError(localProblem('network', 'Exactly cannot be reached. Check your connection and try again.'));
      }
      if (response.status === 202) return { pending: true };
      if (!response.ok) {
        const problem = Problem.safeParse(await response.json().catch(() => null));
        throw new ApiError(problem.success ? problem.data : localProblem('http_error', `The download failed (${response.status}).`, response.status));
      }
      return { blob: await response.blob() };
    },
    /** Image bytes (thumbnails, previews) behind the access token, as a Blob. */
    async imageBlob(token: string, path: string): Promise<Blob> {
      let response: Response;
      try {
        response = await fetcher(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      } catch {
        throw new ApiError(localProblem('network', 'Exactly cannot be reached. Check your connection and try again.'));
      }
      if (!response.ok) {
        const problem = Problem.safeParse(await response.json().catch(() => null));
        throw new ApiError(problem.success ? problem.data : localProblem('http_error', `The image could not be loaded (${response.status}).`, response.status));
      }
      return response.blob();
    },
  };
}

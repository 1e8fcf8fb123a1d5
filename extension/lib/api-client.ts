// The HTTP client of API v1, shared by the background (sign-in, refresh) and the side panel
// (reads with the access token), each call typed from its route declaration in
// shared/api/routes. Failures arrive as ApiError carrying the server's problem.
import type { CheckoutBody } from '../../shared/api/credits';
import type { EditBody } from '../../shared/api/edits';
import type { GenerationBody, QuoteBody } from '../../shared/api/generation';
import type { License } from '../../shared/api/licenses';
import type { z } from 'zod';
import type { CreatePinBody, UpdatePinBody } from '../../shared/api/pins';
import type { CreateRecipeBody } from '../../shared/api/recipes';
import { logout, me, refresh, startEmail, verifyEmail } from '../../shared/api/routes/auth';
import { checkout, credits, ledger, packs, purchases } from '../../shared/api/routes/credits';
import { eventTicket } from '../../shared/api/routes/events';
import { cancelGeneration, edit, generate, generation, generations } from '../../shared/api/routes/generations';
import { image, uploadImage } from '../../shared/api/routes/images';
import { buyLicense, download, licenses } from '../../shared/api/routes/licenses';
import { models, quote } from '../../shared/api/routes/models';
import { createPin, deletePin, pins, updatePin } from '../../shared/api/routes/pins';
import { createRecipe, deleteRecipe, recipes } from '../../shared/api/routes/recipes';
import { imageToPrompt, styleComponents } from '../../shared/api/routes/style';
import { createCaller, pathOf, problemOf } from './api-call';

export { ApiError, localProblem } from './api-call';
export type { License };

/** How long each attribution header may be, in characters (the API keeps as much). */
const ATTRIBUTION_LIMITS = { sourceUrl: 2048, pageUrl: 2048, pageTitle: 500 } as const;

/**
 * Free text from the page as a header value: one line, whole characters (a lone surrogate
 * becomes U+FFFD), UTF-8 percent-encoded so emoji, accents and a literal "%" all survive.
 */
export function encodeAttribution(value: string, max = 2048): string {
  const line = value.replace(/\r\n?|\n/g, ' ').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return encodeURIComponent(Array.from(line).slice(0, max).join(''));
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Pages of the catalog read at most (100 models each): a bound, not a limit anyone reaches. */
const MAX_MODEL_PAGES = 20;

export function createApiClient(baseUrl: string, fetcher: typeof fetch = (...args) => fetch(...args)) {
  const { call, send } = createCaller(baseUrl, fetcher);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  return {
    startEmail: (email: string) => call(startEmail, { body: { email } }),
    verifyEmail: (email: string, code: string) => call(verifyEmail, { body: { email, code } }),
    refresh: (refreshToken: string) => call(refresh, { body: { refresh_token: refreshToken } }),
    logout: (refreshToken: string | null, token: string | null) => call(logout, { body: refreshToken ? { refresh_token: refreshToken } : {}, token }),
    me: (token: string) => call(me, { token }),
    credits: (token: string) => call(credits, { token }),
    ledger: (token: string) => call(ledger, { token }),
    /** The credit packs on sale (no sign-in needed). */
    packs: () => call(packs, {}),
    /** Starts buying a pack: the page to pay on. One key per press; the same key again answers the same session. */
    checkout: (token: string, packId: CheckoutBody['pack_id'], idempotencyKey: string) => call(checkout, { body: { pack_id: packId }, token, headers: { 'idempotency-key': idempotencyKey } }),
    /** A page of my purchases of packs, newest first; pass the last page's next_cursor for the one before. */
    purchases: (token: string, cursor?: string) => call(purchases, { query: { limit: 20, cursor }, token }),
    /** A single-use ticket that opens the live channel (lib/live.ts). */
    ticket: (token: string) => call(eventTicket, { token }),
    /**
     * The whole catalog, every page of it (the API pages the Styles); with the caller's token it
     * also lists their own private Styles.
     */
    models: async (token: string | null = null) => {
      const items: Awaited<ReturnType<typeof call<typeof models>>>['items'] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_MODEL_PAGES; page++) {
        const answer = await call(models, { query: { limit: 100, cursor }, token });
        items.push(...answer.items);
        if (!answer.next_cursor) break;
        cursor = answer.next_cursor;
      }
      return { items, next_cursor: null };
    },
    /** A quote may be asked for before every field is chosen; the API says what is missing. */
    quote: (token: string, body: Partial<GenerationBody>) => call(quote, { body: body as QuoteBody, token }),
    generate: (token: string, body: GenerationBody, idempotencyKey: string) => call(generate, { body, token, headers: { 'idempotency-key': idempotencyKey } }),
    /** Instruct, replace, recreate or erase one of my images: a generation-shaped job. */
    edit: (token: string, imageId: string, body: EditBody, idempotencyKey: string) => call(edit, { params: { id: imageId }, body, token, headers: { 'idempotency-key': idempotencyKey } }),
    generation: (token: string, id: string) => call(generation, { params: { id }, token }),
    /** A page of my generations, newest first; pass the last page's next_cursor for the one before. */
    generations: (token: string, cursor?: string) => call(generations, { query: { limit: 20, cursor }, token }),
    cancelGeneration: (token: string, id: string) => call(cancelGeneration, { params: { id }, token }),
    /** Uploads image bytes with where they came from. */
    upload(token: string, bytes: Uint8Array<ArrayBuffer>, contentType: string, from: { sourceUrl?: string | null; pageUrl?: string | null; pageTitle?: string | null }) {
      const headers: Record<string, string> = { 'content-type': contentType };
      if (from.sourceUrl && !from.sourceUrl.startsWith('data:') && !from.sourceUrl.startsWith('blob:')) headers['x-source-url'] = encodeAttribution(from.sourceUrl, ATTRIBUTION_LIMITS.sourceUrl);
      if (from.pageUrl) headers['x-page-url'] = encodeAttribution(from.pageUrl, ATTRIBUTION_LIMITS.pageUrl);
      if (from.pageTitle) headers['x-page-title'] = encodeAttribution(from.pageTitle, ATTRIBUTION_LIMITS.pageTitle);
      return call(uploadImage, { body: new Blob([bytes], { type: contentType }), token, headers });
    },
    /** One of my images, with its current preview and thumbnail addresses. */
    image: (token: string, imageId: string) => call(image, { params: { id: imageId }, token }),
    imageToPrompt: (token: string, imageId: string) => call(imageToPrompt, { body: { image_id: imageId }, token }),
    createPin: (token: string, body: z.input<typeof CreatePinBody>) => call(createPin, { body, token }),
    pins: (token: string) => call(pins, { token }),
    updatePin: (token: string, id: string, body: z.input<typeof UpdatePinBody>) => call(updatePin, { params: { id }, body, token }),
    deletePin: (token: string, id: string) => call(deletePin, { params: { id }, token }),
    /** The server's measure of references (the panel measures its own thumbnails with the same code). */
    styleComponents: (token: string, imageIds: string[]) => call(styleComponents, { body: { image_ids: imageIds }, token }),
    recipes: (token: string) => call(recipes, { token }),
    createRecipe: (token: string, body: CreateRecipeBody) => call(createRecipe, { body, token }),
    deleteRecipe: (token: string, id: string) => call(deleteRecipe, { params: { id }, token }),
    license: (token: string, imageId: string, idempotencyKey: string) => call(buyLicense, { params: { id: imageId }, token, headers: { 'idempotency-key': idempotencyKey } }),
    licenses: (token: string) => call(licenses, { token }),
    /**
     * A download: the file as a Blob, or `pending` while the licensed extra it asks for is
     * still being made (the API answers 202 with the job).
     */
    async download(token: string, imageId: string, query: string): Promise<{ blob: Blob } | { pending: true }> {
      const response = await send(`${pathOf(download, { id: imageId })}${query}`, { headers: bearer(token) });
      if (response.status === 202) return { pending: true };
      if (!response.ok) throw await problemOf(response, 'The download failed');
      return { blob: await response.blob() };
    },
    /** Image bytes (thumbnails, previews) behind the access token, as a Blob. */
    async imageBlob(token: string, path: string): Promise<Blob> {
      const response = await send(path, { headers: bearer(token) });
      if (!response.ok) throw await problemOf(response, 'The image could not be loaded');
      return response.blob();
    },
  };
}

// The library's side of the Worker for the studio's tests, speaking API v1's wire format: the
// catalog searched and sorted (GET /v1/models), one model, creator pages and avatars, public
// examples, the caller's profile (GET/PATCH, validated by the contract's own schema, a taken
// handle a 409) and earnings. Everything else is answered by createFakeApi.
import { UpdateProfileBody, type Earnings, type Profile } from '../../shared/api/styles';
import { builtInModels, findModel, publicModel } from '../../shared/catalog';
import type { PublicModel } from '../../shared/catalog/types';
import { modelLicense, perImageTerms } from '../../shared/license';
import { STYLE_LICENSE_PRICE } from '../../shared/catalog/styles';
import { createPng } from '../fakes/png';
import { createFakeApi } from './fake-api';

const problem = (status: number, code: string, detail: string, extra: object = {}) =>
  new Response(JSON.stringify({ type: `/problems/${code}`, title: code, status, detail, code, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const ok = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const png = () => new Response(createPng(8, 8, [90, 80, 200]), { headers: { 'content-type': 'image/png' } });

/** Someone with a public profile; `userId` ties it to a signed-in user of the fake. */
export interface Person {
  userId: string;
  profile: Profile;
}

/** A published Artist Style as the catalog lists it. */
export function publishedStyle(s: {
  id: string;
  name: string;
  creator: Person;
  users: number;
  published_at: string;
  verified?: boolean;
  description?: string;
  examples?: number;
}): PublicModel {
  const verified = s.verified ?? false;
  const license = modelLicense('artist', verified);
  const examples = Array.from({ length: s.examples ?? 2 }, (_, i) => `/v1/models/${s.id}/examples/img_${s.id}_ex${i + 1}`);
  return {
    ...publicModel(findModel('flux-schnell')!),
    id: s.id,
    kind: 'artist',
    name: s.name,
    description: s.description ?? `${s.name}, an Artist Style from the community library.`,
    creator: { handle: s.creator.profile.handle, display_name: s.creator.profile.display_name },
    title_image_url: `/v1/models/${s.id}/examples/img_${s.id}_title`,
    example_image_urls: examples,
    users: s.users,
    published_at: s.published_at,
    license,
    ...(license === 'per_image' ? { license_price: STYLE_LICENSE_PRICE, license_terms: perImageTerms } : {}),
    verified,
  };
}

const noEarnings: Earnings = { total: 0, by_style: [], by_day: [], items: [] };

export function createFakeLibraryApi(options: Parameters<typeof createFakeApi>[0] = {}) {
  const base = createFakeApi(options);
  const library = {
    people: [] as Person[],
    published: [] as PublicModel[],
    earnings: new Map<string, Earnings>(),
  };

  /** The caller's profile, made on first read from their email (as a new account's would be). */
  function profileOf(userId: string, email: string): Person {
    let person = library.people.find((p) => p.userId === userId);
    if (!person) {
      const handle = email.split('@')[0]!.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      person = { userId, profile: { handle, display_name: handle, bio: '', avatar_image_id: null, links: [] } };
      library.people.push(person);
    }
    return person;
  }

  /** GET /v1/models as the Worker answers it: kind, words in the name, description or creator, then the order asked for. */
  function catalog(search: URLSearchParams, callerId: string | undefined): PublicModel[] {
    const kind = search.get('kind');
    const q = search.get('q')?.trim().toLowerCase();
    const sort = search.get('sort');
    const own = base.state.styles.filter((s) => s.ownerId === callerId).map((s) => s.model);
    const all = [...builtInModels.map(publicModel), ...library.published, ...own];
    const found = all.filter(
      (m) =>
        (!kind || m.kind === kind) &&
        (!q || [m.name, m.description, m.creator?.handle ?? '', m.creator?.display_name ?? ''].some((text) => text.toLowerCase().includes(q))),
    );
    if (sort === 'popular') return found.sort((a, b) => (b.users ?? 0) - (a.users ?? 0));
    if (sort === 'new') return found.sort((a, b) => (b.published_at ?? '').localeCompare(a.published_at ?? ''));
    return found;
  }

  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const auth = request.headers.get('authorization');
    const caller = base.state.liveAccess.get(auth?.replace(/^Bearer /, '') ?? '');
    const route = `${request.method} ${url.pathname}`;
    const record = (body?: unknown) => base.state.calls.push({ method: request.method, path: url.pathname, search: url.search, auth, body });
    if (base.state.down) return base.fetch(input, init);

    if (route === 'GET /v1/models') {
      record();
      if (auth && !caller) return problem(401, 'unauthorized', 'Sign in to continue.');
      if ((url.searchParams.get('q') ?? '').length > 100) return problem(422, 'validation_failed', 'Some fields need another look.', { errors: [{ path: 'q', message: 'Too long' }] });
      return ok({ items: catalog(url.searchParams, caller?.id), next_cursor: null });
    }
    const oneModel = /^\/v1\/models\/([^/]+)$/.exec(url.pathname);
    if (oneModel && request.method === 'GET') {
      record();
      const id = decodeURIComponent(oneModel[1]!);
      const found = catalog(new URLSearchParams(), caller?.id).find((m) => m.id === id);
      return found ? ok(found) : problem(404, 'not_found', 'That model was not found.');
    }
    if (/^\/v1\/models\/[^/]+\/examples\/[^/]+$/.test(url.pathname) && request.method === 'GET') return png();
    const creatorPath = /^\/v1\/creators\/([^/]+)(\/avatar)?$/.exec(url.pathname);
    if (creatorPath && request.method === 'GET') {
      record();
      const handle = decodeURIComponent(creatorPath[1]!).toLowerCase();
      const person = library.people.find((p) => p.profile.handle === handle);
      if (!person) return problem(404, 'not_found', 'That creator was not found.');
      if (creatorPath[2]) return person.profile.avatar_image_id ? png() : problem(404, 'not_found', 'That creator has no avatar.');
      const { handle: h, display_name, bio, links, avatar_image_id } = person.profile;
      const styles = library.published.filter((m) => m.creator?.handle === h);
      return ok({ handle: h, display_name, bio, links, avatar_url: avatar_image_id ? `/v1/creators/${h}/avatar` : null, styles });
    }
    if (url.pathname === '/v1/profile' && (request.method === 'GET' || request.method === 'PATCH')) {
      const body = request.method === 'PATCH' ? await request.json().catch(() => null) : undefined;
      record(body);
      if (!caller) return problem(401, 'unauthorized', 'Sign in to continue.');
      const person = profileOf(caller.id, caller.email);
      if (request.method === 'GET') return ok(person.profile);
      const parsed = UpdateProfileBody.safeParse(body);
      if (!parsed.success) {
        return problem(422, 'validation_failed', 'Some fields need another look.', { errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) });
      }
      const change = parsed.data;
      if (change.handle && library.people.some((p) => p !== person && p.profile.handle === change.handle)) {
        return problem(409, 'conflict', `The handle @${change.handle} is taken. Choose another.`);
      }
      const before = person.profile.handle;
      person.profile = Object.fromEntries(Object.entries({ ...person.profile, ...change }).filter(([, v]) => v !== undefined)) as Profile;
      library.published = library.published.map((m) =>
        m.creator?.handle === before ? { ...m, creator: { handle: person.profile.handle, display_name: person.profile.display_name } } : m,
      );
      return ok(person.profile);
    }
    if (route === 'POST /v1/images') {
      // An upload (for an avatar): stored when it is one of the image types the API takes.
      const type = request.headers.get('content-type') ?? '';
      const bytes = new Uint8Array(await request.arrayBuffer());
      record({ type, bytes: bytes.length });
      if (!caller) return problem(401, 'unauthorized', 'Sign in to continue.');
      if (!/^image\/(png|jpeg|webp|gif|avif)$/.test(type)) return problem(415, 'unsupported_media_type', 'That file is not a picture Exactly can read: use PNG, JPEG, WebP, GIF or AVIF.');
      const id = `img_up_${++base.state.counter}`;
      return ok(
        {
          id, kind: 'upload', width: 8, height: 8, bytes: bytes.length, sha256: 'x', content_type: type, source_url: null, page_url: null, page_title: null,
          policy: { watermarked: false, license: 'free', licensed: false, downloadable: true }, preview_url: `/v1/images/${id}/preview`, thumb_url: `/v1/images/${id}/thumb`,
          created_at: new Date().toISOString(),
        },
        201,
      );
    }
    if (route === 'GET /v1/earnings') {
      record();
      if (!caller) return problem(401, 'unauthorized', 'Sign in to continue.');
      return ok(library.earnings.get(caller.id) ?? noEarnings);
    }
    return base.fetch(input, init);
  }) as typeof globalThis.fetch;

  return { ...base, fetch, library, profileOf };
}

export type FakeLibraryApi = ReturnType<typeof createFakeLibraryApi>;

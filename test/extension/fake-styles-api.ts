// The Styles endpoints at the network edge, speaking API v1's wire format (paths, JSON shapes
// parsed with the API's own schemas, problem+json refusals in words), composed with the fake of
// the rest of the API (fake-api.ts). The set's rules are the product's own (shared/styles/
// training-set.ts); the test moves a Style along (training ends, moderators decide, people use it).
import { PublishBody, QuizBody, Style, TrainingImage, TrainingSet, VerifyBody } from '../../shared/api/styles';
import { QUIZ_PASS_AVERAGE, QUIZ_SAMPLE_COUNT, STYLE_TRAINING_CREDITS, VERIFICATION_USERS } from '../../shared/catalog/styles';
import type { StyleVisibility } from '../../shared/statuses';
import { judgeSet, refusalOf, type TrainingCandidate, warningsOf } from '../../shared/styles/training-set';
import { createFakeApi } from './fake-api';

const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ type: `/problems/${code}`, title: code, status, detail, code, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const ok = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** An image of the user's the fake knows: its size, bytes' hash and perceptual hash. */
export interface FakeImage {
  width: number;
  height: number;
  sha256: string;
  hash: string;
  /** Another creator's unlicensed Style output: it may not train. */
  locked?: boolean;
}

/** 16 hex digits that differ from any other id's in about half their bits. */
export function hashOf(seed: string): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < 16; round++) {
    for (const c of `${seed}:${round}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, 16);
}

type StoredSet = { id: string; name: string; items: (TrainingCandidate & { description: string })[]; created_at: string; updated_at: string };
type StoredStyle = Omit<Style, 'quiz'> & { quiz?: Style['quiz']; set_id: string };

export function createFakeStylesApi() {
  const base = createFakeApi();
  const now = () => new Date().toISOString();
  const styles = {
    images: new Map<string, FakeImage>(),
    sets: new Map<string, StoredSet>(),
    styles: new Map<string, StoredStyle>(),
    /** Idempotency-Key → the body it was first sent with and the Style it answered. */
    trainKeys: new Map<string, { body: string; styleId: string }>(),
    /** The Idempotency-Key of every POST /v1/styles, in order. */
    trainAttempts: [] as (string | null)[],
    counter: 0,
  };

  function setView(set: StoredSet): TrainingSet {
    const judged = judgeSet(set.items);
    const images = set.items.map((item) => TrainingImage.parse({ image_id: item.imageId, description: item.description, width: item.width, height: item.height, warnings: [...warningsOf(item), ...judged.warnings] }));
    return TrainingSet.parse({ id: set.id, name: set.name, images, ready: judged.ready, problems: judged.problems, training_cost: STYLE_TRAINING_CREDITS, created_at: set.created_at, updated_at: set.updated_at });
  }

  const styleView = (s: StoredStyle): Style => {
    const { set_id: _set, ...view } = s;
    return Style.parse(view);
  };

  function spend(amount: number): Response | null {
    const credits = base.state.credits;
    if (amount > credits.available) return problem(402, 'insufficient_credits', `This needs ${amount} credits and ${credits.available} are available.`, { needed: amount, available: credits.available });
    credits.held += amount;
    credits.available -= amount;
    return null;
  }

  function train(set: StoredSet, name: string, visibility: StyleVisibility): StoredStyle {
    const id = `sty_${++styles.counter}`;
    const at = now();
    const style: StoredStyle = {
      id,
      name,
      visibility,
      status: 'training',
      version: 1,
      training_set_id: set.id,
      set_id: set.id,
      training: { progress: 0, error: null },
      cost: { held: STYLE_TRAINING_CREDITS, charged: 0, refunded: 0 },
      free_retrain: false,
      ...(visibility === 'public' ? { verification: { distinct_users: 0, threshold: VERIFICATION_USERS, eligible: false, verified: false }, earnings: { total: 0 } } : {}),
      created_at: at,
      updated_at: at,
    };
    styles.styles.set(id, style);
    return style;
  }

  async function handle(request: Request, url: URL): Promise<Response | null> {
    const route = `${request.method} ${url.pathname}`;
    if (route === 'POST /v1/images') return upload(request);
    const path = url.pathname.split('/').slice(1);
    if (path[0] !== 'v1' || (path[1] !== 'training-sets' && path[1] !== 'styles')) return null;
    const body = request.method === 'POST' || request.method === 'PATCH' ? await request.json().catch(() => ({})) : undefined;
    const auth = request.headers.get('authorization');
    base.state.calls.push({ method: request.method, path: url.pathname, search: url.search, auth, body });
    if (base.state.down) throw new TypeError('Failed to fetch');
    if (!base.state.liveAccess.has(auth?.replace(/^Bearer /, '') ?? '')) return problem(401, 'unauthorized', 'Sign in to continue.');

    if (route === 'POST /v1/training-sets') {
      const name = String(body.name ?? '').trim();
      if (!name) return problem(422, 'validation_failed', 'Give it a name', { errors: [{ path: 'name', message: 'Give it a name' }] });
      const set: StoredSet = { id: `tst_${++styles.counter}`, name, items: [], created_at: now(), updated_at: now() };
      styles.sets.set(set.id, set);
      return ok(setView(set), 201);
    }
    if (path[1] === 'training-sets') {
      const set = styles.sets.get(path[2] ?? '');
      if (!set) return problem(404, 'not_found', 'That training set was not found.');
      if (request.method === 'GET' && path.length === 3) return ok(setView(set));
      if (request.method === 'POST' && path[3] === 'images' && path.length === 4) {
        const image = styles.images.get(body.image_id);
        if (!image) return problem(404, 'not_found', 'That image was not found.');
        if (image.locked) return problem(403, 'not_licensed', 'This image is another creator’s Style output that you have not licensed: it cannot train a Style.');
        const description = String(body.description ?? '').trim();
        if (description.length > 300) return problem(422, 'validation_failed', 'Keep the description under 300 characters');
        const candidate = { imageId: body.image_id, ...image, description };
        const refusal = refusalOf(candidate, set.items);
        if (refusal) return problem(422, 'validation_failed', refusal);
        set.items.push(candidate);
        set.updated_at = now();
        return ok(setView(set).images.at(-1), 201);
      }
      const item = set.items.find((i) => i.imageId === path[4]);
      if (path[3] === 'images' && path.length === 5 && !item) return problem(404, 'not_found', 'That image is not in the set.');
      if (request.method === 'PATCH' && item) {
        const description = String(body.description ?? '').trim();
        if (description.length > 300) return problem(422, 'validation_failed', 'Keep the description under 300 characters');
        item.description = description;
        return ok(setView(set).images.find((i) => i.image_id === item.imageId));
      }
      if (request.method === 'DELETE' && item) {
        set.items = set.items.filter((i) => i !== item);
        return new Response(null, { status: 204 });
      }
      return problem(404, 'not_found', `There is no ${route}.`);
    }

    if (route === 'POST /v1/styles') {
      styles.trainAttempts.push(request.headers.get('idempotency-key'));
      const key = request.headers.get('idempotency-key') ?? `auto-${++styles.counter}`;
      const serialized = JSON.stringify(body);
      const seen = styles.trainKeys.get(key);
      if (seen) return seen.body === serialized ? ok(styleView(styles.styles.get(seen.styleId)!), 202) : problem(409, 'conflict', 'This Idempotency-Key was used with another request.');
      const set = styles.sets.get(body.training_set_id);
      if (!set) return problem(404, 'not_found', 'That training set was not found.');
      const judged = judgeSet(set.items);
      if (!judged.ready) return problem(422, 'validation_failed', judged.problems.join(' '));
      const refused = spend(STYLE_TRAINING_CREDITS);
      if (refused) return refused;
      const style = train(set, String(body.name).trim(), body.visibility);
      styles.trainKeys.set(key, { body: serialized, styleId: style.id });
      return ok(styleView(style), 202);
    }
    if (route === 'GET /v1/styles') return ok({ items: [...styles.styles.values()].reverse().map(styleView), next_cursor: null });

    const style = styles.styles.get(path[2] ?? '');
    if (!style) return problem(404, 'not_found', 'That Style was not found.');
    const answer = (status = 200) => ok(styleView(style), status);
    if (request.method === 'GET' && path.length === 3) return answer();
    switch (path[3]) {
      case 'quiz': {
        if (style.status !== 'quiz' || !style.quiz || style.quiz.outcome) return problem(409, 'conflict', 'This Style has no quiz waiting for scores.');
        const parsed = QuizBody.safeParse(body);
        if (!parsed.success) return problem(422, 'validation_failed', 'Score from 1 to 5');
        const quiz = style.quiz;
        if (quiz.samples.some((s) => !parsed.data.scores.some((x) => x.image_id === s.image_id))) return problem(422, 'validation_failed', 'Score every sample.');
        for (const s of quiz.samples) s.score = parsed.data.scores.find((x) => x.image_id === s.image_id)!.score;
        const average = quiz.samples.reduce((sum, s) => sum + s.score!, 0) / quiz.samples.length;
        const outcome = average >= QUIZ_PASS_AVERAGE ? 'pass' : 'retrain';
        Object.assign(quiz, { average, outcome });
        if (outcome === 'pass') style.status = 'ready';
        else style.free_retrain = true;
        return ok({ outcome, average, style: styleView(style) });
      }
      case 'retrain': {
        if (style.status === 'training' || style.status === 'in_moderation') return problem(409, 'conflict', 'This Style cannot be retrained now.');
        if (!style.free_retrain) {
          const refused = spend(STYLE_TRAINING_CREDITS);
          if (refused) return refused;
        }
        Object.assign(style, { status: 'training', version: style.version + 1, training: { progress: 0, error: null }, free_retrain: false, quiz: undefined });
        return answer(202);
      }
      case 'publish': {
        if (style.visibility !== 'public' || style.status !== 'ready') return problem(409, 'conflict', 'Only a public Style that passed its quiz can be published.');
        const parsed = PublishBody.safeParse(body);
        if (!parsed.success) return problem(422, 'validation_failed', parsed.error.issues.map((i) => i.message).join(' '));
        const own = new Set([...(style.quiz?.samples.map((s) => s.image_id) ?? []), ...[...base.state.generations.values()].filter((g) => g.model_id === style.id).flatMap((g) => g.images.map((i: { id: string }) => i.id))]);
        if (![parsed.data.title_image_id, ...parsed.data.example_image_ids].every((id) => own.has(id))) return problem(422, 'validation_failed', 'Choose the title image and examples among what this Style made.');
        style.status = 'in_moderation';
        style.publication = { ...parsed.data, submitted_at: now(), published_at: null };
        return answer();
      }
      case 'verify': {
        if (!VerifyBody.safeParse(body).success) return problem(422, 'validation_failed', 'Confirm that you hold the rights you state');
        if (!style.verification?.eligible || style.verification.verified) return problem(409, 'conflict', 'This Style cannot be verified yet.');
        style.verification.verified = true;
        return answer();
      }
    }
    return problem(404, 'not_found', `There is no ${route}.`);
  }

  /** An upload: a PNG's size read from its header, its bytes hashed; the image is then the user's. */
  async function upload(request: Request): Promise<Response> {
    const bytes = new Uint8Array(await request.arrayBuffer());
    base.state.calls.push({ method: 'POST', path: '/v1/images', search: '', auth: request.headers.get('authorization'), body: null });
    if (!base.state.liveAccess.has(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '')) return problem(401, 'unauthorized', 'Sign in to continue.');
    const png = [0x89, 0x50, 0x4e, 0x47].every((b, i) => bytes[i] === b);
    if (!png) return problem(415, 'unsupported_media_type', 'This file is not an image Exactly can read (PNG, JPEG, WebP, GIF or AVIF).');
    const view = new DataView(bytes.buffer);
    const sha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const id = `img_up_${sha256.slice(0, 8)}`;
    const image = { width: view.getUint32(16), height: view.getUint32(20), sha256, hash: hashOf(sha256) };
    styles.images.set(id, image);
    const at = now();
    return ok(
      {
        id, kind: 'upload', width: image.width, height: image.height, bytes: bytes.length, sha256, content_type: 'image/png', source_url: null, page_url: null,
        page_title: request.headers.get('x-page-title') && decodeURIComponent(request.headers.get('x-page-title')!),
        policy: { watermarked: false, license: 'free', licensed: false, downloadable: true }, preview_url: `/v1/images/${id}/preview`, thumb_url: `/v1/images/${id}/thumb`, created_at: at,
      },
      201,
    );
  }

  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    return (await handle(request.clone(), new URL(request.url))) ?? base.fetch(request);
  }) as typeof globalThis.fetch;

  /** A generation of the user's with this Style, its images `ids`. */
  function addGeneration(modelId: string, ids: string[]) {
    const id = `gen_${base.state.generations.size + 1}`;
    base.state.generations.set(id, {
      id, model_id: modelId, operation: 'generate', status: 'succeeded', prompt: 'a harbour at dusk', batch: ids.length, resolution: 'hd', aspect_ratio: '1:1', width: 1024, height: 1024,
      cost: { credits_per_image: 3, held: 0, charged: 3 * ids.length, refunded: 0 }, progress: { delivered: ids.length, pending: 0 },
      images: ids.map((image) => ({ id: image, status: 'succeeded', width: 1024, height: 1024, preview_url: `/v1/images/${image}/preview`, thumb_url: `/v1/images/${image}/thumb`, policy: { watermarked: true, license: 'not_available', licensed: false, downloadable: false } })),
      seed: 7, provider: 'offline', warnings: [], created_at: now(), polls: 0, idempotencyKey: null,
    });
  }

  return {
    ...base,
    fetch,
    styles,
    /** The Style as its owner reads it (what `style.updated` carries). */
    style: (id: string) => styleView(styles.styles.get(id)!),
    /** Moves a Style along as the Worker would; returns its new reading. */
    change(id: string, patch: Partial<StoredStyle>): Style {
      const style = styles.styles.get(id)!;
      Object.assign(style, patch, { updated_at: now() });
      return styleView(style);
    },
    /** Training ended: the hold settled, the quiz samples made (as a generation with the Style). */
    finishTraining(id: string): Style {
      const style = styles.styles.get(id)!;
      const samples = Array.from({ length: QUIZ_SAMPLE_COUNT }, (_, i) => ({ image_id: `img_q${style.version}_${i}`, prompt: `Sample ${i + 1}: a quiet harbour, ${['dawn', 'noon', 'dusk', 'rain', 'fog', 'night'][i % 6]}`, score: null }));
      addGeneration(id, samples.map((s) => s.image_id));
      base.state.credits.held -= style.cost?.held ?? 0;
      return this.change(id, { status: 'quiz', training: { progress: 1, error: null }, cost: { held: 0, charged: style.cost?.held ?? 0, refunded: 0 }, quiz: { samples, threshold: QUIZ_PASS_AVERAGE } });
    },
    addGeneration,
    /** A trained Style as the test needs it, straight in its state. */
    seedStyle(visibility: StyleVisibility, patch: Partial<StoredStyle> = {}): Style {
      const set: StoredSet = { id: `tst_${++styles.counter}`, name: 'Seeded', items: [], created_at: now(), updated_at: now() };
      styles.sets.set(set.id, set);
      const style = train(set, 'Dusk Harbour', visibility);
      return this.change(style.id, patch);
    },
  };
}

export type FakeStylesApi = ReturnType<typeof createFakeStylesApi>;

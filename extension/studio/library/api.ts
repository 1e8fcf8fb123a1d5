// The calls behind the library, creator pages, the profile and earnings, typed from their route
// declarations (shared/api/routes), and the one hook these views load what they show with.
import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import type { ModelQuery } from '../../../shared/api/models';
import { model, models } from '../../../shared/api/routes/models';
import { creator, creatorAvatar, earnings, profile, updateProfile } from '../../../shared/api/routes/styles';
import type { UpdateProfileBody } from '../../../shared/api/styles';
import { ApiError, createCaller, pathOf } from '../../lib/api-call';
import { API_URL } from '../../lib/config';
import { messageOf, withToken } from '../../panel/api';

// The global fetch is looked up at each call, so the tests' fake API answers.
const { call } = createCaller(API_URL, (...args) => fetch(...args));

export const libraryApi = {
  /** The catalog as the library searches it; the token also lists the caller's private Styles. */
  models: (query: z.input<typeof ModelQuery>) => withToken((token) => call(models, { query, token })),
  model: (id: string) => withToken((token) => call(model, { params: { id }, token })),
  creator: (handle: string) => call(creator, { params: { handle } }),
  profile: () => withToken((token) => call(profile, { token })),
  updateProfile: (body: z.input<typeof UpdateProfileBody>) => withToken((token) => call(updateProfile, { body, token })),
  earnings: () => withToken((token) => call(earnings, { token })),
};

/** A public image address from the API (a path on the API, or already absolute) as an <img> source. */
export function publicImageUrl(url: string): string {
  return new URL(url, API_URL).href;
}

/** A creator's avatar, served publicly by the API (404 when they have none). */
export function avatarUrl(handle: string): string {
  return publicImageUrl(pathOf(creatorAvatar, { handle }));
}

export type Loaded<T> =
  | { status: 'loading' }
  /** `busy`: shown while the next answer (for a changed key) is on its way, so a search does not blink. */
  | { status: 'ready'; data: T; busy: boolean }
  | { status: 'failed'; message: string; code: string | null };

/**
 * Loads what a view shows whenever `key` changes; an answer to an older key never overwrites a
 * newer one (a search typed on while the last one is still answering).
 */
export function useLoaded<T>(load: () => Promise<T>, key: string): [Loaded<T>, (data: T) => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    setState((was) => (was.status === 'ready' ? { ...was, busy: true } : { status: 'loading' }));
    load()
      .then((data) => current && setState({ status: 'ready', data, busy: false }))
      .catch((error) => current && setState({ status: 'failed', message: messageOf(error), code: error instanceof ApiError ? error.code : null }));
    return () => {
      current = false;
    };
  }, [key]);
  return [state, (data) => setState({ status: 'ready', data, busy: false })];
}

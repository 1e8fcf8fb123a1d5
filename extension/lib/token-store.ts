// Where sign-in lives in the browser: the access token in storage.session (gone when the
// browser closes, never written to disk), the refresh token and who is signed in in
// storage.local. Only extension pages can read them; content scripts never see tokens.
import { storage } from '#imports';
import type { User } from '../../shared/api/auth';

export interface StoredAccess {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export const accessToken = storage.defineItem<StoredAccess | null>('session:accessToken', { fallback: null });
export const refreshToken = storage.defineItem<string | null>('local:refreshToken', { fallback: null });
export const signedInUser = storage.defineItem<User | null>('local:user', { fallback: null });

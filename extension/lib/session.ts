// The background's sign-in state: signing in and out, and handing out a fresh access token,
// refreshing silently when it is about to expire. Refreshes are single-flight: the API
// revokes a whole sign-in when one refresh token is used twice.
import type { TokenPair, User } from '../../shared/api/auth';
import { type ApiClient, ApiError } from './api-client';
import { accessToken, refreshToken, signedInUser } from './token-store';

/** Refresh this long before the access token expires. */
const EARLY_REFRESH_MS = 60_000;

export interface SessionState {
  signedIn: boolean;
  user: User | null;
}

export function createSession(api: ApiClient, now: () => number = Date.now) {
  let refreshing: Promise<string | null> | null = null;

  async function store(pair: TokenPair) {
    await Promise.all([
      accessToken.setValue({ token: pair.access_token, expiresAt: now() + pair.expires_in * 1000 }),
      refreshToken.setValue(pair.refresh_token),
      signedInUser.setValue(pair.user),
    ]);
  }

  async function forget() {
    await Promise.all([accessToken.removeValue(), refreshToken.removeValue(), signedInUser.removeValue()]);
  }

  async function refresh(): Promise<string | null> {
    const token = await refreshToken.getValue();
    if (!token) return null;
    try {
      const pair = await api.refresh(token);
      await store(pair);
      return pair.access_token;
    } catch (error) {
      // A refused refresh token means the sign-in is over; a network failure is not.
      if (error instanceof ApiError && error.status === 401) {
        await forget();
        return null;
      }
      throw error;
    }
  }

  return {
    async state(): Promise<SessionState> {
      const [user, token] = await Promise.all([signedInUser.getValue(), refreshToken.getValue()]);
      return { signedIn: Boolean(user && token), user: token ? user : null };
    },

    async startEmail(email: string) {
      return api.startEmail(email);
    },

    async verifyEmail(email: string, code: string): Promise<User> {
      const pair = await api.verifyEmail(email, code);
      await store(pair);
      return pair.user;
    },

    /** A valid access token, refreshed when needed; null when signed out. */
    async accessToken(options: { forceRefresh?: boolean } = {}): Promise<string | null> {
      const current = await accessToken.getValue();
      if (!options.forceRefresh && current && current.expiresAt - EARLY_REFRESH_MS > now()) return current.token;
      refreshing ??= refresh().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },

    async signOut() {
      const [token, access] = await Promise.all([refreshToken.getValue(), accessToken.getValue()]);
      await forget();
      // Ending the sign-in on the server is best effort: locally it is over either way.
      await api.logout(token, access?.token ?? null).catch(() => undefined);
    },
  };
}

export type Session = ReturnType<typeof createSession>;

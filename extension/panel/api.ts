// The panel's way to the API: reads go straight to the API with an access token the
// background hands out (it alone refreshes); a 401 gets one forced refresh and a retry.
import { ApiError, createApiClient, localProblem } from '../lib/api-client';
import { problemWords } from '../lib/problems';
import { API_URL } from '../lib/config';
import { send } from '../lib/messaging';

export const api = createApiClient(API_URL);

const signedOut = () => new ApiError(localProblem('unauthorized', 'You are signed out. Sign in to continue.', 401));

export async function withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
  const { token } = await send('auth.accessToken', {});
  if (!token) throw signedOut();
  try {
    return await call(token);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
    const retry = await send('auth.accessToken', { forceRefresh: true });
    if (!retry.token) throw signedOut();
    return call(retry.token);
  }
}

/** What to tell a designer when something failed. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return problemWords(error.problem);
  return 'Something went wrong. Please try again.';
}

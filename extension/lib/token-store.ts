// Where sign-in lives in the browser: the access token in storage.session (gone when the
// browser closes, never written to disk), the refresh token and who is signed in in
// storage.local. Only extension pages can read them; content scripts never see tokens.
import { z } from 'zod';
import { User } from '../../shared/api/auth';
import { defineStored } from './stored';

export const StoredAccess = z.object({
  token: z.string().min(1),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
});
export type StoredAccess = z.infer<typeof StoredAccess>;

// Version 1 is the shape every one of these has had since sign-in shipped.
export const accessToken = defineStored('session:accessToken', { schema: StoredAccess.nullable(), fallback: null, version: 1, migrations: {} });
export const refreshToken = defineStored('local:refreshToken', { schema: z.string().min(1).nullable(), fallback: null, version: 1, migrations: {} });
export const signedInUser = defineStored('local:user', { schema: User.nullable(), fallback: null, version: 1, migrations: {} });

// Sign-in by emailed one-time code, then short-lived access tokens and rotating refresh tokens.
import { z } from 'zod';
import { roleNames } from '../statuses';

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'Enter a valid email address' }));

export const EmailStartBody = z.object({ email: Email });
export type EmailStartBody = z.infer<typeof EmailStartBody>;

export const EmailVerifyBody = z.object({
  email: Email,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { message: 'The code is the 6 digits from the email' }),
});
export type EmailVerifyBody = z.infer<typeof EmailVerifyBody>;

export const RefreshBody = z.object({ refresh_token: z.string().min(1).max(512) });
export type RefreshBody = z.infer<typeof RefreshBody>;

export const LogoutBody = z.object({ refresh_token: z.string().min(1).max(512).optional() });


export const Credits = z.object({
  balance: z.number().int(),
  held: z.number().int(),
  available: z.number().int(),
  /** Credits a refunded or lost-disputed purchase took back that the balance could not cover: nothing is spent until credits bought settle it. */
  owed: z.number().int().min(0).default(0),
}).meta({ id: 'Credits' });
export type Credits = z.infer<typeof Credits>;

export const User = z.object({
  id: z.string(),
  email: z.string(),
  handle: z.string().nullable(),
  display_name: z.string().nullable(),
  roles: z.array(z.enum(roleNames)),
}).meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const Me = User.extend({ credits: Credits }).meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const TokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  user: User,
}).meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof TokenPair>;

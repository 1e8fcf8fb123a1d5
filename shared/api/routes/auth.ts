// Sign-in by emailed code, token refresh, logout, and who is signed in.
import { z } from 'zod';
import { EmailStartBody, EmailVerifyBody, LogoutBody, Me, RefreshBody, TokenPair } from '../auth';
import { bodyProblems, defineRoute, json, jsonBody, noContent, problems, signedIn } from './define';

const tokenPairExample = {
  access_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMDEifQ.c2lnbmF0dXJl',
  refresh_token: 'rt_2b8c1f0e9d7a4c3b',
  token_type: 'Bearer' as const,
  expires_in: 900,
  user: { id: 'usr_01hx', email: 'ana@example.com', handle: null, display_name: null, roles: ['user' as const] },
};

export const startEmail = defineRoute({
  method: 'post',
  path: '/v1/auth/email/start',
  tags: ['auth'],
  summary: 'Email a 6-digit sign-in code',
  request: { body: jsonBody(EmailStartBody, { email: 'ana@example.com' }) },
  responses: { 202: json(z.object({ sent: z.literal(true) }), 'The code is on its way', { sent: true }), ...problems(...bodyProblems, 'rate_limited') },
});

export const verifyEmail = defineRoute({
  method: 'post',
  path: '/v1/auth/email/verify',
  tags: ['auth'],
  summary: 'Trade the emailed code for tokens',
  request: { body: jsonBody(EmailVerifyBody, { email: 'ana@example.com', code: '492031' }) },
  responses: { 200: json(TokenPair, 'Signed in', tokenPairExample), ...problems(...bodyProblems, 'unauthorized', 'rate_limited') },
});

export const refresh = defineRoute({
  method: 'post',
  path: '/v1/auth/refresh',
  tags: ['auth'],
  summary: 'Rotate the refresh token for a new pair',
  request: { body: jsonBody(RefreshBody, { refresh_token: 'rt_2b8c1f0e9d7a4c3b' }) },
  responses: { 200: json(TokenPair, 'A new pair; the old refresh token is spent', tokenPairExample), ...problems(...bodyProblems, 'unauthorized', 'rate_limited') },
});

export const logout = defineRoute({
  method: 'post',
  path: '/v1/auth/logout',
  tags: ['auth'],
  summary: 'End the sign-in named by the refresh token, or by the access token sent',
  request: { body: { ...jsonBody(LogoutBody, {}), required: false } },
  responses: { 204: noContent('Signed out'), ...problems(...bodyProblems) },
});

export const me = defineRoute({
  method: 'get',
  path: '/v1/me',
  tags: ['account'],
  summary: 'Who is signed in, with their credits',
  security: signedIn,
  responses: {
    200: json(Me, 'The signed-in account', { ...tokenPairExample.user, credits: { balance: 1000, held: 40, available: 960 } }),
    ...problems('unauthorized', 'not_found'),
  },
});

export const authRoutes = { startEmail, verifyEmail, refresh, logout, me } as const;

// Running the provider self-check as an admin, with this request's configuration.
import { expect } from 'vitest';
import { call, json, randomEmail, signIn } from '../edge/support';

export async function adminToken(): Promise<string> {
  const email = randomEmail('admin');
  expect((await call('/dev/roles', { method: 'POST', json: { email, role: 'admin' } })).status).toBe(200);
  return (await signIn(email)).access_token;
}

/** The self-check's answer, and its item for one subject. */
export async function selfCheck(subject: string, vars: Record<string, unknown> = {}) {
  const response = await call('/v1/admin/providers', { token: await adminToken(), vars: { PUBLIC_API_URL: 'https://api.example.test', ...vars } });
  expect(response.status).toBe(200);
  const body = await json(response);
  return { body, item: body.items.find((i: { subject: string }) => i.subject === subject) };
}

// Starting generations and waiting for them through HTTP.
import { expect } from 'vitest';
import { call, json } from './support';

export function generate(token: string, body: Record<string, unknown>, idempotencyKey?: string) {
  return call('/v1/generations', { method: 'POST', token, json: body, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} });
}

const ended = new Set(['succeeded', 'partial', 'failed', 'canceled']);

/** Provider fakes in use: each round of waiting lets them send their webhooks. */
export const providerFakes: { pump(): Promise<unknown> }[] = [];

/** Polls until the generation ends, as the panel does. */
export async function waitForGeneration(token: string, id: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const fake of providerFakes) await fake.pump();
    const generation = await json(await call(`/v1/generations/${id}`, { token }));
    if (ended.has(generation.status)) return generation;
    if (Date.now() > deadline) expect.fail(`generation ${id} still ${generation.status} after ${timeoutMs} ms: ${JSON.stringify(generation)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls until the generation reaches a status (e.g. running: its calls are at the provider). */
export async function waitForStatus(token: string, id: string, status: string, timeoutMs = 10_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const generation = await json(await call(`/v1/generations/${id}`, { token }));
    if (generation.status === status) return generation;
    if (Date.now() > deadline) expect.fail(`generation ${id} is ${generation.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Request bodies are cut off while they stream: a chunked body with no Content-Length is
// refused as soon as it passes the route's limit, whoever sends it, and nothing beyond the
// limit is ever read.
import { describe, expect, it } from 'vitest';
import { call, expectProblem, signIn } from './support';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A chunked body of `total` bytes made on demand, counting how much of it was read. */
function endless(total: number) {
  const read = { bytes: 0 };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (read.bytes >= total) return controller.close();
        read.bytes += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { body, read };
}

async function stream(path: string, total: number, headers: Record<string, string> = {}) {
  const { body, read } = endless(total);
  const started = performance.now();
  const response = await call(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, duplex: 'half' } as RequestInit);
  return { response, read: read.bytes, ms: performance.now() - started };
}

describe('request bodies', () => {
  it('are refused past 64 KB while streaming on an unauthenticated route: 200 MB chunked is stopped at once, not buffered', async () => {
    const { response, read, ms } = await stream('/v1/auth/email/start', 200 * MB);
    console.info(`200 MB chunked to /v1/auth/email/start: ${read} bytes read, answered in ${ms.toFixed(0)} ms`);
    expect(read).toBeLessThanOrEqual(64 * 1024 + 2 * CHUNK);
    expect(ms).toBeLessThan(2_000);
    const problem = await expectProblem(response, 413, 'payload_too_large');
    expect(problem.detail).toMatch(/64 KB/);
  });

  it('are refused past 64 KB on signed-in JSON routes too, and past 1 MB on webhooks', async () => {
    const me = await signIn();
    const json = await stream('/v1/generations', 50 * MB, { authorization: `Bearer ${me.access_token}` });
    await expectProblem(json.response, 413, 'payload_too_large');
    expect(json.read).toBeLessThanOrEqual(64 * 1024 + 2 * CHUNK);
    const webhook = await stream('/v1/webhooks/replicate', 50 * MB);
    await expectProblem(webhook.response, 413, 'payload_too_large');
    expect(webhook.read).toBeLessThanOrEqual(MB + 2 * CHUNK);
  });

  it('are not read at all for a caller the route refuses', async () => {
    const { response, read } = await stream('/v1/generations', 50 * MB);
    await expectProblem(response, 401, 'unauthorized');
    expect(read).toBeLessThanOrEqual(2 * CHUNK);
  });

  it('within the limit, chunked, are read as usual', async () => {
    const email = `chunked-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const bytes = new TextEncoder().encode(JSON.stringify({ email }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 5) controller.enqueue(bytes.slice(i, i + 5));
        controller.close();
      },
    });
    const response = await call('/v1/auth/email/start', { method: 'POST', body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(202);
  });
});

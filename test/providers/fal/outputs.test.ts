// Where outputs are fetched from: a signed webhook names the address, so only fal's declared
// output hosts are asked (here the fake's own host, as this project configures), never an IP
// literal or another host, redirects only within those hosts; and a webhook signed for another
// fal account is refused.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { collectTask } from '../../../edge/domain/generations/run';
import { runDepsFor } from '../../../edge/jobs/deps';
import { outputAllowed } from '../../../edge/providers/outputs';
import { waitForGeneration } from '../../edge/generation-support';
import { call, json } from '../../edge/support';
import { useFal } from '../network';
import { finishedUnreported } from './support';

const fal = useFal();


/** Every address the Worker fetches while `run` runs (fal's own API included). */
async function watchingFetches<T>(run: () => Promise<T>): Promise<{ result: T; asked: string[] }> {
  const inner = globalThis.fetch;
  const asked: string[] = [];
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    asked.push(new Request(input, init).url);
    return inner(input, init);
  }) as typeof fetch;
  try {
    return { result: await run(), asked };
  } finally {
    globalThis.fetch = inner;
  }
}

const hostile = [
  'https://127.0.0.1/outputs/a.png',
  'https://169.254.169.254/latest/meta-data/',
  'https://10.0.0.7/a.png',
  'https://[::ffff:7f00:1]/a.png',
  'https://2130706433/a.png',
  'https://outputs.example/a.png',
  'https://queue.fal.fake.outputs.example/a.png',
  'https://queue.fal.fake:8443/a.png',
  'http://queue.fal.fake/a.png',
];

describe('provider outputs', () => {
  it('are fetched only from the declared hosts: IP literals, private ranges, other hosts and ports are never asked', () => {
    const allowed = { hosts: ['queue.fal.fake', '*.fal.media'] };
    for (const address of hostile) expect({ address, allowed: outputAllowed(new URL(address), allowed) }).toEqual({ address, allowed: false });
    for (const address of ['https://queue.fal.fake/files/a.png', 'https://v3.fal.media/files/rabbit/a.png', 'https://v3b.fal.media/x.png']) {
      expect({ address, allowed: outputAllowed(new URL(address), allowed) }).toEqual({ address, allowed: true });
    }
    expect(outputAllowed(new URL('https://evilfal.media/a.png'), allowed)).toBe(false);
    expect(outputAllowed(new URL('https://user:pw@queue.fal.fake/a.png'), allowed)).toBe(false);
    // Development lets this machine's loopback in (a local provider), and nothing more.
    expect(outputAllowed(new URL('http://127.0.0.1:9/a.png'), { ...allowed, loopback: true })).toBe(true);
    expect(outputAllowed(new URL('https://10.0.0.7/a.png'), { ...allowed, loopback: true })).toBe(false);
  });

  it('named by a genuinely signed webhook at a metadata address, a private address or another host are not fetched; the images are refunded', async () => {
    const { me, generationId, task } = await finishedUnreported(fal, 4);
    const targets = ['https://169.254.169.254/latest/meta-data/iam', 'https://10.0.0.7/a.png', 'https://outputs.example/a.png', 'https://queue.fal.fake.outputs.example/a.png'];
    const body = JSON.stringify({ request_id: task.request_id, status: 'OK', payload: { images: targets.map((url) => ({ url, content_type: 'image/png' })) } });
    const webhook = await fal().webhookFor(task.request_id!, { body });
    const { asked, result } = await watchingFetches(async () => {
      expect((await call('/v1/webhooks/fal', { method: 'POST', headers: webhook.headers, body })).status).toBe(200);
      return waitForGeneration(me.access_token, generationId);
    });
    expect(result).toMatchObject({ status: 'failed', cost: { charged: 0, refunded: 8 } });
    const hosts = new Set(asked.map((a) => new URL(a).host));
    for (const target of targets) expect(hosts).not.toContain(new URL(target).host);
  });

  it('outside development, not even loopback; redirects are followed only while they stay on fal’s hosts', async () => {
    const { me, generationId, task } = await finishedUnreported(fal, 3);
    const real = (fal().requests.get(task.request_id!)!.result!.body as any).images.map((i: any) => i.url as string);
    const asked: string[] = [];
    const deps = {
      ...runDepsFor(env),
      loopbackOutputs: false,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(String(input));
        asked.push(url.href);
        expect(init?.redirect).toBe('manual');
        const hop = url.searchParams.get('to');
        if (hop) return new Response(null, { status: 302, headers: { location: hop } });
        return fal().handle(new Request(url));
      }) as typeof fetch,
    };
    const outputs = [
      { url: 'http://127.0.0.1:9/out.png' },
      { url: `https://queue.fal.fake/redirect?to=${encodeURIComponent('https://169.254.169.254/latest')}` },
      { url: `https://queue.fal.fake/redirect?to=${encodeURIComponent(real[2])}` },
    ];
    await collectTask(deps, task.id, { state: 'succeeded', images: outputs, rejected: 0 }, new Date());
    expect(asked.map((a) => new URL(a).host)).toEqual(['queue.fal.fake', 'queue.fal.fake', 'queue.fal.fake']);
    expect(await json(await call(`/v1/generations/${generationId}`, { token: me.access_token }))).toMatchObject({ status: 'partial', progress: { delivered: 1 } });
  });

  it('reported in a webhook signed by fal for another account are refused (401), and the call is still settled by its own report', async () => {
    const { me, generationId, task } = await finishedUnreported(fal, 1);
    const foreign = await fal().webhookFor(task.request_id!, { userId: 'someone-elses-fal-account' });
    expect((await call('/v1/webhooks/fal', { method: 'POST', headers: foreign.headers, body: await foreign.text() })).status).toBe(401);
    expect((await json(await call(`/v1/generations/${generationId}`, { token: me.access_token }))).status).toBe('running');
    const own = await fal().webhookFor(task.request_id!);
    expect((await call('/v1/webhooks/fal', { method: 'POST', headers: own.headers, body: await own.text() })).status).toBe(200);
    expect(await waitForGeneration(me.access_token, generationId)).toMatchObject({ status: 'succeeded' });
  });
});

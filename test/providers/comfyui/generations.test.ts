// Generating on a designer's ComfyUI, end to end inside workerd: POST /v1/generations and the
// edit route, with COMFYUI_URL set. ComfyUI sends no webhooks: the queue polls it until done.
import { describe, expect, it } from 'vitest';
import { createPng } from '../../fakes/png';
import { generate, waitForGeneration, waitForStatus } from '../../edge/generation-support';
import { clientIdOf } from '../../../edge/providers/comfyui';
import { call, grant, json, signIn } from '../../edge/support';
import { useComfy } from './support';

const comfy = useComfy();
const sdxl = (batch: number, extra: Record<string, unknown> = {}) => ({ model_id: 'sdxl', prompt: 'a paper boat on a puddle', batch, resolution: 'sd', aspect_ratio: '3:2', ...extra });

async function account(credits: number) {
  const me = await signIn();
  await grant(me.email, credits);
  return me;
}

async function upload(token: string, bytes: Uint8Array<ArrayBuffer>) {
  return json(await call('/v1/images', { method: 'POST', token, body: bytes, headers: { 'content-type': 'image/png' } }));
}

const until = async (ok: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) expect.fail('waited in vain');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** The user's live channel, opened as the panel does; every message it hears is kept. */
async function liveChannel(token: string) {
  const { url } = await json(await call('/v1/events/ticket', { method: 'POST', token }));
  const { pathname, search } = new URL(url);
  const response = await call(`${pathname}${search}`, { headers: { upgrade: 'websocket' } });
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  const heard: { type: string; data: any }[] = [];
  socket.addEventListener('message', (event) => {
    if (event.data !== 'pong') heard.push(JSON.parse(event.data as string));
  });
  return { socket, heard };
}

/** Graphs queued at the fake since `from`. */
const graphsSince = (from: number) => comfy().log.prompts.slice(from).filter((p) => p.status === 200).map((p) => Object.values(p.body.prompt as Record<string, { class_type: string; inputs: any }>));

describe('generating on ComfyUI', () => {
  it('runs the model’s text-to-image workflow, fanned out in fours, and settles what it delivered', async () => {
    const me = await account(20);
    const from = comfy().log.prompts.length;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, sdxl(6)))).id);
    expect(done).toMatchObject({ status: 'succeeded', provider: 'comfyui', cost: { charged: 6, refunded: 0 }, progress: { delivered: 6 }, warnings: [] });
    expect(done.images.map((i: any) => [i.width, i.height])).toEqual(Array(6).fill([944, 624]));
    const batches = graphsSince(from).map((nodes) => nodes.find((n) => n.class_type === 'EmptyLatentImage')!.inputs.batch_size);
    expect(batches.sort()).toEqual([2, 4]);
    expect(await json(await call('/v1/credits', { token: me.access_token }))).toEqual({ balance: 14, held: 0, available: 14, owed: 0 });
  });

  it('starts from a reference image uploaded to ComfyUI', async () => {
    const me = await account(20);
    const reference = await upload(me.access_token, createPng(320, 200, [30, 90, 200]));
    const from = comfy().log.prompts.length;
    const uploads = comfy().log.uploads.length;
    const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, sdxl(1, { reference_image_ids: [reference.id] })))).id);
    expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 1 } });
    expect(comfy().log.uploads.length).toBe(uploads + 1);
    const [graph] = graphsSince(from);
    expect(graph!.find((n) => n.class_type === 'LoadImage')!.inputs.image).toBe(comfy().log.uploads.at(-1)!.name);
  });

  it('replaces a masked area of an image, keeping its size', async () => {
    const me = await account(20);
    const source = await upload(me.access_token, createPng(240, 160, [230, 140, 40]));
    const mask = await upload(me.access_token, createPng(240, 160, [255, 255, 255]));
    const started = await call(`/v1/images/${source.id}/edits`, { method: 'POST', token: me.access_token, json: { op: 'replace', model_id: 'sdxl', prompt: 'a red kite', mask_image_id: mask.id } });
    expect(started.status).toBe(202);
    const done = await waitForGeneration(me.access_token, (await json(started)).id);
    expect(done).toMatchObject({ status: 'succeeded', operation: 'replace', provider: 'comfyui', cost: { charged: 1 } });
    expect(done.images.map((i: any) => [i.width, i.height])).toEqual([[240, 160]]);
    expect(graphsSince(comfy().log.prompts.length - 1)[0]!.map((n) => n.class_type)).toContain('SetLatentNoiseMask');
  });

  it('a failure on the GPU is refunded and says why', async () => {
    const me = await account(20);
    comfy().behaviour.failIn = { class_type: 'VAEDecode', message: 'CUDA out of memory. Tried to allocate 1.20 GiB' };
    try {
      const done = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, sdxl(2)))).id);
      expect(done).toMatchObject({ status: 'failed', cost: { charged: 0, refunded: 2 } });
      expect(done.error).toContain('ComfyUI stopped with an error in VAEDecode, node 6: CUDA out of memory. Tried to allocate 1.20 GiB');
    } finally {
      comfy().behaviour.failIn = null;
    }
  });

  it('shows how far ComfyUI has got while it runs, on the live channel and on GET, from the steps on its WebSocket', async () => {
    const me = await account(20);
    comfy().behaviour.autoRun = false;
    try {
      const live = await liveChannel(me.access_token);
      const started = await json(await generate(me.access_token, sdxl(1)));
      await waitForStatus(me.access_token, started.id, 'running');
      comfy().start();
      const client = clientIdOf(comfy().running!);
      const read = async () => json(await call(`/v1/generations/${started.id}`, { token: me.access_token }));
      expect((await read()).progress).toEqual({ delivered: 0, pending: 1 });
      // A poll round listens on the prompt's own socket; ComfyUI tells only a listener, so the step is told until one hears it.
      await until(async () => {
        if (comfy().listening.includes(client)) comfy().step('5', 10, 25);
        return (await read()).progress.fraction === 0.4;
      });
      expect(await read()).toMatchObject({ status: 'running', progress: { delivered: 0, pending: 1, fraction: 0.4 } });
      await until(async () => {
        if (comfy().listening.includes(client)) comfy().step('5', 20, 25);
        return live.heard.some((m) => m.type === 'generation.updated' && m.data.id === started.id && m.data.progress.fraction === 0.8);
      });
      const updates = live.heard.filter((m) => m.type === 'generation.updated' && m.data.id === started.id && m.data.progress.fraction !== undefined);
      expect(updates.map((m) => m.data.progress.fraction)).toEqual([0.4, 0.8]);
      expect(updates[0]!.data).toMatchObject({ status: 'running', progress: { delivered: 0, pending: 1 } });
      comfy().finish();
      const done = await waitForGeneration(me.access_token, started.id);
      expect(done).toMatchObject({ status: 'succeeded', cost: { charged: 1 }, progress: { delivered: 1, pending: 0 } });
      expect(done.progress.fraction).toBeUndefined();
      live.socket.close(1000, 'done');
    } finally {
      comfy().behaviour.autoRun = true;
    }
  });

  it('a cancel stops the running prompt at ComfyUI and refunds it', async () => {
    const me = await account(20);
    comfy().behaviour.autoRun = false;
    try {
      const started = await json(await generate(me.access_token, sdxl(1)));
      await waitForStatus(me.access_token, started.id, 'running');
      comfy().start();
      const running = comfy().running;
      expect(running).not.toBeNull();
      const canceled = await json(await call(`/v1/generations/${started.id}/cancel`, { method: 'POST', token: me.access_token }));
      expect(canceled).toMatchObject({ status: 'canceled', cost: { charged: 0, refunded: 1 } });
      expect(comfy().log.interrupts).toContain(running);
      expect(comfy().running).toBeNull();
    } finally {
      comfy().behaviour.autoRun = true;
    }
  });
});

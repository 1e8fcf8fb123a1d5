// The ComfyUI adapter against a ComfyUI that validates and runs its workflow graphs.
import { beforeEach, describe, expect, it } from 'vitest';
import { builtInModels } from '../../../shared/catalog';
import { readImageHeader } from '../../../shared/imaging/header';
import { builtInWorkflows, clientIdOf, comfyuiProvider, type ComfyConfig, progressOf } from '../../../edge/providers/comfyui';
import { type GenerateCall, type ImageProvider, ProviderError } from '../../../edge/providers/types';
import { type ComfyFake, createComfyFake } from '../../fakes/comfyui';
import { createPng } from '../../fakes/png';

const route = builtInModels.find((m) => m.id === 'sdxl')!.providers.find((r) => r.id === 'comfyui')!;
const base: GenerateCall = {
  endpoint: route.endpoint,
  prompt: 'a lighthouse on a cliff',
  n: 2,
  size: { width: 768, height: 512 },
  aspectRatio: '3:2',
  seed: 41,
  providerOptions: { ...route.options, operation: 'generate' },
};
const png = (width: number, height: number) => ({ bytes: createPng(width, height, [200, 120, 40]), contentType: 'image/png' });

let comfy: ComfyFake;
let provider: ImageProvider;

function connect(config: Partial<ComfyConfig> = {}, fake: ComfyFake = comfy) {
  return comfyuiProvider({ baseUrl: fake.origin, fetch: (input, init) => fake.handle(new Request(input, init)), ...config });
}

beforeEach(() => {
  comfy = createComfyFake();
  provider = connect();
});

/** The graph the last accepted POST /prompt queued. */
const lastGraph = () => comfy.log.prompts.at(-1)!.body.prompt as Record<string, { class_type: string; inputs: Record<string, any> }>;
const nodesOf = (graph: ReturnType<typeof lastGraph>, classType: string) => Object.values(graph).filter((n) => n.class_type === classType);

async function finished(requestId: string) {
  const outcome = await provider.status(route.endpoint, requestId);
  if (outcome.state !== 'succeeded') throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return outcome.images.map((image) => {
    if (!('bytes' in image)) throw new Error('ComfyUI outputs must come back as bytes');
    return readImageHeader(image.bytes)!;
  });
}

describe('ComfyUI workflows', () => {
  it('text to image: queues a valid graph under our prompt id and client id, and brings back the batch as PNG bytes', async () => {
    const submitted = await provider.submit(base, null);
    expect(submitted).toMatchObject({ mode: 'async', requestId: expect.any(String), warnings: [] });
    const sent = comfy.log.prompts.at(-1)!;
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ prompt_id: submitted.mode === 'async' && submitted.requestId, client_id: expect.stringMatching(/^exactly-/) });
    const graph = lastGraph();
    expect(nodesOf(graph, 'CheckpointLoaderSimple')[0]!.inputs.ckpt_name).toBe('sd_xl_base_1.0.safetensors');
    expect(nodesOf(graph, 'EmptyLatentImage')[0]!.inputs).toEqual({ width: 768, height: 512, batch_size: 2 });
    expect(nodesOf(graph, 'KSampler')[0]!.inputs).toMatchObject({ seed: 41, steps: 25, cfg: 7, sampler_name: 'dpmpp_2m', scheduler: 'karras', denoise: 1 });
    expect(nodesOf(graph, 'CLIPTextEncode').map((n) => n.inputs.text)).toContain('a lighthouse on a cliff');
    const images = await finished((submitted as { requestId: string }).requestId);
    expect(images).toEqual([
      { type: 'image/png', width: 768, height: 512 },
      { type: 'image/png', width: 768, height: 512 },
    ]);
  });

  it('is pending while the prompt waits or runs', async () => {
    comfy.behaviour.autoRun = false;
    const { requestId } = (await provider.submit(base, null)) as { requestId: string };
    expect(await provider.status(route.endpoint, requestId)).toEqual({ state: 'pending' });
    comfy.start();
    expect(await provider.status(route.endpoint, requestId)).toEqual({ state: 'pending' });
    comfy.finish();
    expect(await finished(requestId)).toHaveLength(2);
  });

  it('image to image: uploads the reference, starts from it at the asked size, denoising by its weight', async () => {
    const call = { ...base, n: 3, files: [png(300, 200), png(40, 40)], providerOptions: { ...base.providerOptions, reference_weights: [{ palette: 1, composition: 0 }] } };
    const submitted = await provider.submit(call, null);
    expect(submitted.warnings).toEqual([{ type: 'unsupported-setting', setting: 'files', details: 'ComfyUI starts from the first reference image only' }]);
    expect(comfy.log.uploads).toEqual([{ name: expect.stringMatching(/^exactly-image-[0-9a-f]{24}\.png$/), type: 'input', overwrite: 'true', contentType: 'image/png', bytes: call.files[0]!.bytes.byteLength }]);
    const graph = lastGraph();
    expect(nodesOf(graph, 'LoadImage')[0]!.inputs.image).toBe(comfy.log.uploads[0]!.name);
    expect(nodesOf(graph, 'ImageScale')[0]!.inputs).toMatchObject({ width: 768, height: 512, crop: 'center' });
    expect(nodesOf(graph, 'EmptyLatentImage')).toEqual([]);
    // Weight 0.5 (the mean of its components) keeps about half the reference's look.
    expect(nodesOf(graph, 'KSampler')[0]!.inputs.denoise).toBe(0.78);
    expect(await finished((submitted as { requestId: string }).requestId)).toEqual(Array(3).fill({ type: 'image/png', width: 768, height: 512 }));
  });

  it('the same reference sent twice is one file at ComfyUI', async () => {
    const call = { ...base, files: [png(64, 64)] };
    await provider.submit(call, null);
    await provider.submit(call, null);
    expect(new Set(comfy.log.uploads.map((u) => u.name)).size).toBe(1);
    expect(comfy.inputs.size).toBe(1);
  });

  it('inpainting: uploads source and mask, samples only the mask, and pastes each result over the source', async () => {
    const call: GenerateCall = { ...base, n: 2, size: { width: 301, height: 203 }, files: [png(301, 203)], mask: png(301, 203), providerOptions: { ...base.providerOptions, operation: 'replace' } };
    const submitted = await provider.submit(call, null);
    expect(comfy.log.uploads.map((u) => u.name)).toEqual([expect.stringMatching(/^exactly-image-/), expect.stringMatching(/^exactly-mask-/)]);
    const graph = lastGraph();
    expect(nodesOf(graph, 'ImageToMask')).toHaveLength(1);
    expect(nodesOf(graph, 'SetLatentNoiseMask')).toHaveLength(1);
    expect(nodesOf(graph, 'ImageCompositeMasked')).toHaveLength(1);
    expect(nodesOf(graph, 'KSampler')[0]!.inputs.denoise).toBe(1);
    // Sizes go to whole latent pixels (multiples of 8); every image of the batch is delivered.
    expect(await finished((submitted as { requestId: string }).requestId)).toEqual(Array(2).fill({ type: 'image/png', width: 296, height: 200 }));
  });

  it('erase paints the surroundings in; recreate without a mask is image to image', async () => {
    await provider.submit({ ...base, n: 1, files: [png(64, 64)], mask: png(64, 64), providerOptions: { operation: 'erase' } }, null);
    expect(nodesOf(lastGraph(), 'CLIPTextEncode').map((n) => n.inputs.text)).toContain('empty background, seamless continuation of the surroundings');
    await provider.submit({ ...base, n: 1, files: [png(64, 64)], providerOptions: { operation: 'recreate' } }, null);
    expect(nodesOf(lastGraph(), 'SetLatentNoiseMask')).toEqual([]);
    expect(nodesOf(lastGraph(), 'KSampler')[0]!.inputs.denoise).toBe(0.6);
  });

  it('refuses a replace without a mask, in words, before anything is queued', async () => {
    await expect(provider.submit({ ...base, files: [png(64, 64)], providerOptions: { operation: 'replace' } }, null)).rejects.toThrow('Replace needs a mask of what to change.');
    expect(comfy.log.prompts).toEqual([]);
  });
});

describe('ComfyUI configuration', () => {
  it('uses the designer’s checkpoint, and says plainly when ComfyUI has no such file', async () => {
    await connect({ checkpoint: 'dreamshaperXL.safetensors' }).submit(base, null);
    expect(nodesOf(lastGraph(), 'CheckpointLoaderSimple')[0]!.inputs.ckpt_name).toBe('dreamshaperXL.safetensors');
    const refused = await connect({ checkpoint: 'sd_xl_typo.safetensors' })
      .submit(base, null)
      .catch((e) => e);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused.retryable).toBe(false);
    expect(refused.message).toContain('ComfyUI has no checkpoint named "sd_xl_typo.safetensors": set COMFYUI_CHECKPOINT to a file in its models/checkpoints folder');
    expect(comfy.log.prompts.at(-1)!.status).toBe(400);
  });

  it('runs the designer’s own workflow graph, with each placeholder filled in its own type', async () => {
    const workflows = JSON.stringify({
      'text-to-image': {
        '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: '{{checkpoint}}' } },
        '2': { class_type: 'CLIPTextEncode', inputs: { text: 'masterpiece, {{prompt}}', clip: ['1', 1] } },
        '3': { class_type: 'CLIPTextEncode', inputs: { text: '{{negative_prompt}}', clip: ['1', 1] } },
        '4': { class_type: 'EmptyLatentImage', inputs: { width: '{{width}}', height: '{{height}}', batch_size: '{{batch_size}}' } },
        '5': { class_type: 'KSampler', inputs: { model: ['1', 0], positive: ['2', 0], negative: ['3', 0], latent_image: ['4', 0], seed: '{{seed}}', steps: 8, cfg: 2, sampler_name: 'euler', scheduler: 'simple', denoise: 1 } },
        '6': { class_type: 'VAEDecode', inputs: { samples: ['5', 0], vae: ['1', 2] } },
        '7': { class_type: 'SaveImage', inputs: { images: ['6', 0], filename_prefix: 'mine' } },
        '8': { class_type: 'PreviewImage', inputs: { images: ['6', 0] } },
      },
    });
    const mine = connect({ workflows });
    const { requestId } = (await mine.submit(base, null)) as { requestId: string };
    const graph = lastGraph();
    expect(graph['2']!.inputs.text).toBe('masterpiece, a lighthouse on a cliff');
    expect(graph['4']!.inputs).toEqual({ width: 768, height: 512, batch_size: 2 });
    expect(graph['5']!.inputs).toMatchObject({ seed: 41, steps: 8 });
    // The preview node's scratch files are not outputs.
    const outcome = await mine.status(route.endpoint, requestId);
    expect(outcome).toMatchObject({ state: 'succeeded', images: [{ contentType: 'image/png' }, { contentType: 'image/png' }] });
  });

  it('says what is wrong with a workflow setting, naming the node ComfyUI refused', async () => {
    const failure = (workflows: string) =>
      connect({ workflows })
        .submit(base, null)
        .then(() => null, (e: ProviderError) => e.message);
    expect(await failure('{"text-to-image": ')).toMatch(/^COMFYUI_WORKFLOWS is not valid JSON/);
    expect(await failure('{"upscale": {"1": {"class_type": "SaveImage", "inputs": {}}}}')).toBe(
      'COMFYUI_WORKFLOWS names a workflow "upscale"; the studio runs text-to-image, image-to-image, inpaint.',
    );
    expect(await failure('{"text-to-image": {"1": {"class_type": "SaveImage", "inputs": {"images": ["9", 0], "filename_prefix": "{{title}}"}}}}')).toBe(
      'The text-to-image workflow uses {{title}}, which the studio does not fill (it fills prompt, negative_prompt, seed, width, height, batch_size, checkpoint, steps, cfg, sampler_name, scheduler, denoise, image, mask).',
    );
    expect(await failure('{"text-to-image": {"1": {"class_type": "KSamplerTurbo", "inputs": {}}}}')).toBe(
      "ComfyUI refused the request: Node 'KSamplerTurbo' not found. The custom node may not be installed.: Node ID '#1'",
    );
    // A link to a node that is not there, and a sampler ComfyUI does not have.
    const broken = structuredClone((await import('../../../edge/providers/comfyui')).builtInWorkflows['text-to-image']);
    broken['6']!.inputs.samples = ['50', 0];
    expect(await failure(JSON.stringify({ 'text-to-image': broken }))).toBe(
      "ComfyUI refused the request: Prompt outputs failed validation; VAEDecode (node 6): Exception when validating inner node: '50'",
    );
    const wrongSampler = structuredClone((await import('../../../edge/providers/comfyui')).builtInWorkflows['text-to-image']);
    wrongSampler['5']!.inputs.sampler_name = 'turbo';
    expect(await failure(JSON.stringify({ 'text-to-image': wrongSampler }))).toMatch(/KSampler \(node 5\): Value not in list: sampler_name: 'turbo' not in \[/);
  });

  it('sends its token to a ComfyUI behind a proxy, and names the setting when it is refused', async () => {
    const guarded = createComfyFake({ token: 'tunnel-secret' });
    expect(await connect({ token: 'tunnel-secret' }, guarded).submit(base, null)).toMatchObject({ mode: 'async' });
    await expect(connect({}, guarded).submit(base, null)).rejects.toThrow('ComfyUI refused the request (check COMFYUI_TOKEN): 401: Unauthorized');
  });

  it('a ComfyUI it cannot reach is a passing failure, said in words', async () => {
    const away = comfyuiProvider({ baseUrl: 'http://127.0.0.1:8188', fetch: async () => Promise.reject(new TypeError('connect ECONNREFUSED')) });
    const error = await away.submit(base, null).catch((e) => e);
    expect(error).toMatchObject({ retryable: true, message: 'ComfyUI (COMFYUI_URL) could not be reached: is it running, and can the Worker reach that address?' });
    await expect(comfyuiProvider({ baseUrl: 'comfy.local' }).submit(base, null)).rejects.toThrow('COMFYUI_URL is not a web address like http://127.0.0.1:8188.');
  });
});

describe('ComfyUI failures and cancels', () => {
  it('a failure while running comes back in ComfyUI’s own words, naming the node', async () => {
    comfy.behaviour.failIn = { class_type: 'KSampler', message: 'CUDA out of memory. Tried to allocate 2.50 GiB' };
    const { requestId } = (await provider.submit(base, null)) as { requestId: string };
    expect(await provider.status(route.endpoint, requestId)).toEqual({
      state: 'failed',
      error: 'ComfyUI stopped with an error in KSampler, node 5: CUDA out of memory. Tried to allocate 2.50 GiB',
    });
  });

  it('a prompt ComfyUI forgot (restarted) fails instead of waiting forever', async () => {
    expect(await provider.status(route.endpoint, crypto.randomUUID())).toEqual({ state: 'failed', error: 'ComfyUI no longer knows this request (was it restarted, or its queue cleared?).' });
  });

  it('cancels a running prompt by interrupting only that prompt, and a waiting one by taking it off the queue', async () => {
    comfy.behaviour.autoRun = false;
    const first = ((await provider.submit(base, null)) as { requestId: string }).requestId;
    const second = ((await provider.submit(base, null)) as { requestId: string }).requestId;
    comfy.start();
    await provider.cancel(route.endpoint, second);
    expect(comfy.log).toMatchObject({ deletes: [second], interrupts: [] });
    expect(comfy.running).toBe(first);
    await provider.cancel(route.endpoint, first);
    expect(comfy.log.interrupts).toEqual([first]);
    expect(await provider.status(route.endpoint, first)).toEqual({ state: 'canceled' });
    // Canceling what already ended does nothing at ComfyUI (never a bare, global interrupt).
    await provider.cancel(route.endpoint, first);
    expect(comfy.log.interrupts).toEqual([first]);
  });

  it('a lost answer to POST /prompt is looked up by our prompt id, not queued twice', async () => {
    comfy.behaviour.loseAnswers = 1;
    const submitted = (await provider.submit(base, null)) as { requestId: string };
    expect(comfy.log.prompts).toHaveLength(1);
    expect(submitted.requestId).toBe(comfy.log.prompts[0]!.body.prompt_id);
    expect(await finished(submitted.requestId)).toHaveLength(2);
  });
});

describe('ComfyUI progress over its WebSocket', () => {
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(ok()).toBe(true);
  };
  async function running() {
    comfy.behaviour.autoRun = false;
    const { requestId } = (await provider.submit(base, null)) as { requestId: string };
    comfy.start();
    return requestId;
  }

  it('hears a running prompt’s steps on the socket of the client id it was queued under, until it ends', async () => {
    const requestId = await running();
    expect(comfy.log.prompts.at(-1)!.body.client_id).toBe(clientIdOf(requestId));
    const heard: number[] = [];
    const started = Date.now();
    const watching = provider.watch!(route.endpoint, requestId, 5000, (f) => heard.push(f));
    await until(() => comfy.listening.includes(clientIdOf(requestId)));
    comfy.step('5', 5, 25);
    comfy.step('5', 10, 25);
    comfy.step('5', 10, 25); // said twice: heard once
    await until(() => heard.length === 2);
    comfy.finish();
    expect(await watching).toBe('ended');
    expect(Date.now() - started).toBeLessThan(4000);
    expect(heard).toEqual([0.2, 0.4]);
    expect(comfy.log.sockets.at(-1)).toEqual({ clientId: clientIdOf(requestId), authorization: null });
    // The socket is closed once it has heard the end.
    await until(() => !comfy.listening.includes(clientIdOf(requestId)));
    expect((await provider.status(route.endpoint, requestId)).state).toBe('succeeded');
  });

  it('hears nothing of another prompt, and stops listening when its time is up', async () => {
    const mine = await running();
    const other = (await provider.submit(base, null)) as { requestId: string };
    const heard: number[] = [];
    const watching = provider.watch!(route.endpoint, other.requestId, 400, (f) => heard.push(f));
    await until(() => comfy.listening.includes(clientIdOf(other.requestId)));
    comfy.step('5', 20, 25); // the running prompt is `mine`: told to its own client only
    expect(await watching).toBe('quiet');
    expect(heard).toEqual([]);
    expect(comfy.running).toBe(mine);
  });

  it('a prompt that already ended is not listened to', async () => {
    const { requestId } = (await provider.submit(base, null)) as { requestId: string };
    expect(await provider.watch!(route.endpoint, requestId, 5000, () => {})).toBe('ended');
    expect(comfy.log.sockets).toEqual([]);
  });

  it('sends its token on the socket too; a proxy that will not upgrade leaves it to polling', async () => {
    const guarded = createComfyFake({ token: 's3cret' });
    guarded.behaviour.autoRun = false;
    provider = connect({ token: 's3cret' }, guarded);
    const { requestId } = (await provider.submit(base, null)) as { requestId: string };
    guarded.start();
    const heard: number[] = [];
    const watching = provider.watch!(route.endpoint, requestId, 5000, (f) => heard.push(f));
    await until(() => guarded.listening.length === 1);
    guarded.step('5', 25, 25);
    await until(() => heard.length === 1);
    guarded.finish();
    expect(await watching).toBe('ended');
    expect(heard).toEqual([0.99]); // all steps done, but not saved yet
    expect(guarded.log.sockets).toEqual([{ clientId: clientIdOf(requestId), authorization: 'Bearer s3cret' }]);

    comfy.behaviour.autoRun = false;
    const noUpgrade = comfyuiProvider({
      baseUrl: comfy.origin,
      fetch: async (input, init) => (new URL(new Request(input).url).pathname === '/ws' ? new Response('WebSockets are not forwarded', { status: 200 }) : comfy.handle(new Request(input, init))),
    });
    const other = (await noUpgrade.submit(base, null)) as { requestId: string };
    comfy.start();
    expect(await noUpgrade.watch!(route.endpoint, other.requestId, 5000, () => {})).toBe('unavailable');
  });

  it('adds up the steps of several samplers as one sweep', () => {
    // A refiner pass: a second sampler that starts from the first one's latent.
    const graph = {
      ...builtInWorkflows['text-to-image'],
      '20': { class_type: 'KSampler', inputs: { model: ['1', 0], positive: ['2', 0], negative: ['3', 0], latent_image: ['5', 0], seed: 1, steps: 10, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 0.3 } },
    };
    expect(progressOf(graph, '5', 5, 20)).toBe(0.13);
    expect(progressOf(graph, '5', 20, 20)).toBe(0.5);
    expect(progressOf(graph, '20', 5, 10)).toBe(0.75);
    expect(progressOf(graph, '20', 10, 10)).toBe(0.99);
    // A node that is not a sampler (an upscaler after both) counts the samplers before it, not its own steps.
    expect(progressOf({ ...graph, '30': { class_type: 'UpscaleModelLoader', inputs: { image: ['20', 0] } } }, '30', 1, 4)).toBe(0.99);
    // With no graph to go by, the node's own steps.
    expect(progressOf(null, '5', 3, 12)).toBe(0.25);
  });
});

describe('without COMFYUI_URL', () => {
  it('the ComfyUI model still runs, offline, edits included', async () => {
    const { call, grant, json, signIn } = await import('../support');
    const { generate, waitForGeneration } = await import('../generation-support');
    const me = await signIn();
    await grant(me.email, 10);
    const made = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: 'sdxl', prompt: 'a dune at noon', batch: 1, resolution: 'sd', aspect_ratio: '1:1' }))).id);
    expect(made).toMatchObject({ status: 'succeeded', provider: 'offline', cost: { charged: 1 } });
    const source = await json(await call('/v1/images', { method: 'POST', token: me.access_token, body: createPng(64, 48, [200, 100, 50]), headers: { 'content-type': 'image/png' } }));
    const mask = await json(await call('/v1/images', { method: 'POST', token: me.access_token, body: createPng(64, 48, [255, 255, 255]), headers: { 'content-type': 'image/png' } }));
    const started = await call(`/v1/images/${source.id}/edits`, { method: 'POST', token: me.access_token, json: { op: 'erase', model_id: 'sdxl', mask_image_id: mask.id } });
    expect(await waitForGeneration(me.access_token, (await json(started)).id)).toMatchObject({ status: 'succeeded', provider: 'offline', images: [{ width: 64, height: 48 }] });
  });
});

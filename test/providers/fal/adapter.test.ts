// The fal adapter against the strict fake: every catalog route's input is one fal's published
// types accept, inputs travel by link, trained Styles are sent as LoRAs, and Styles train at
// fal-ai/flux-lora-fast-training from a zip of captioned images.
import { unzipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { extraRoutes } from '../../../shared/catalog/extras';
import { builtInModels } from '../../../shared/catalog/models';
import { FAL_LORA_ENDPOINT, FAL_TRAINING_ENDPOINT, falProvider, falTrainer } from '../../../edge/providers/fal';
import { trainingArchive } from '../../../edge/providers/training-archive';
import type { GenerateCall, ImageProvider, ProviderFile, TrainingCall } from '../../../edge/providers/types';
import { createFalFake, type FalFake } from '../../fakes/fal';
import { createPng } from '../../fakes/png';

const WEBHOOK = 'https://api.example.test/v1/webhooks/fal';
let fal: FalFake;
let delivered: Request[];
let archives: Map<string, Uint8Array>;
let provider: ImageProvider;
let trainer: ReturnType<typeof falTrainer>;

beforeEach(async () => {
  const mine: Request[] = [];
  delivered = mine;
  archives = new Map();
  fal = await createFalFake({
    origin: `https://queue-${crypto.randomUUID().slice(0, 6)}.fal.fake`,
    deliver: async (r) => (mine.push(r), new Response('ok')),
    // The archive link on our API, as fal would download it.
    download: async (url) => (archives.has(url) ? new Response(archives.get(url)!.slice()) : new Response('gone', { status: 404 })),
  });
  const config = { key: fal.key, baseUrl: fal.origin, jwksUrl: fal.jwksUrl, fetch: (input: RequestInfo | URL, init?: RequestInit) => fal.handle(new Request(input, init)) };
  provider = falProvider(config);
  trainer = falTrainer(config);
});

const png: ProviderFile = { bytes: createPng(8, 8, [200, 10, 10]), contentType: 'image/png' };

describe('the catalog at fal', () => {
  it('sends every fal route (each edit operation included) an input its endpoint’s published type accepts', async () => {
    const calls: GenerateCall[] = [];
    for (const model of builtInModels) {
      for (const route of model.providers.filter((r) => r.id === 'fal')) {
        const operations = Object.entries((route.options?.operations ?? { generate: route.endpoint }) as Record<string, string>);
        for (const [operation, endpoint] of operations) {
          const resolution = model.resolutions[0]!;
          calls.push({
            endpoint,
            prompt: operation === 'erase' ? '' : 'a blue door',
            n: Math.min(route.max_images_per_call, 2),
            size: { width: resolution.width, height: resolution.height },
            aspectRatio: model.aspect_ratios[0]!,
            seed: 42,
            files: model.max_references > 0 || route.options?.operations ? [png] : undefined,
            mask: operation === 'replace' || operation === 'erase' ? png : undefined,
            providerOptions: { ...route.options, operation },
          });
        }
      }
    }
    for (const route of Object.values(extraRoutes).flat().filter((r) => r.id === 'fal')) {
      calls.push({ endpoint: route.endpoint, prompt: '', n: 1, size: { width: 8, height: 8 }, aspectRatio: '1:1', files: [png], providerOptions: route.options });
    }
    expect(calls.length).toBeGreaterThanOrEqual(8);
    for (const call of calls) {
      await expect(provider.submit(call, WEBHOOK), `${call.endpoint} ${call.providerOptions?.operation ?? ''}`).resolves.toMatchObject({ mode: 'async' });
    }
    expect(new Set(fal.log.submits.map((s) => s.endpoint))).toEqual(new Set(calls.map((c) => c.endpoint)));
  });

  it('a misspelt endpoint or an input field fal does not take is refused as final, in fal’s words', async () => {
    const base = { prompt: 'a door', n: 1, size: { width: 512, height: 512 }, aspectRatio: '1:1' };
    const typo = await provider.submit({ ...base, endpoint: 'fal-ai/flux/schnel', providerOptions: { sizing: 'image_size' } }, null).catch((e) => e);
    expect(typo.options).toMatchObject({ retryable: false, status: 404 });
    // FLUX [pro] sizes by aspect ratio: an image_size there is a field fal does not take.
    const wrong = await provider.submit({ ...base, endpoint: 'fal-ai/flux-pro/v1.1-ultra', providerOptions: { sizing: 'image_size' } }, null).catch((e) => e);
    expect(wrong.options).toMatchObject({ retryable: false, status: 422 });
    expect(wrong.message).toMatch(/image_size: Extra inputs are not permitted/);
  });
});

describe('inputs at fal', () => {
  it('reach fal as their short-lived link when they have one, never inlined', async () => {
    const source = { ...png, url: 'https://api.example.test/v1/inputs/in_1?sig=abc' };
    const mask = { ...png, url: 'https://api.example.test/v1/inputs/in_2?sig=def' };
    await provider.submit({ endpoint: 'fal-ai/flux-pro/v1/fill', prompt: 'a cat', n: 1, size: { width: 1024, height: 1024 }, aspectRatio: '1:1', files: [source], mask, providerOptions: { sizing: 'none', operation: 'replace' } }, null);
    await provider.submit({ endpoint: 'fal-ai/esrgan', prompt: '', n: 1, size: { width: 8, height: 8 }, aspectRatio: '1:1', files: [source], providerOptions: { sizing: 'none', extra: 'upscale', scale: 4 } }, null);
    expect(fal.log.submits.map((s) => [s.input.image_url, s.input.mask_url])).toEqual([
      [source.url, mask.url],
      [source.url, undefined],
    ]);
  });
});

describe('painting with a trained Style at fal', () => {
  it('sends the Style’s LoRA with its scale to fal-ai/flux-lora', async () => {
    const loras = [{ path: `${fal.origin}/files/style-lora.safetensors`, scale: 0.8 }];
    const submitted = await provider.submit({ endpoint: FAL_LORA_ENDPOINT, prompt: 'a harbour, in SKETCHY style', n: 2, size: { width: 1024, height: 768 }, aspectRatio: '4:3', seed: 3, loras, providerOptions: { sizing: 'image_size' } }, null);
    expect(submitted.warnings).toEqual([]);
    expect(fal.log.submits[0]).toMatchObject({ endpoint: 'fal-ai/flux-lora', input: { loras, enable_safety_checker: true, image_size: { width: 1024, height: 768 } } });
    expect(await provider.status(FAL_LORA_ENDPOINT, (submitted as { requestId: string }).requestId)).toMatchObject({ state: 'succeeded', images: [expect.anything(), expect.anything()] });
  });

  it('says so, and sends no LoRA, to an endpoint that takes none', async () => {
    const submitted = await provider.submit({ endpoint: 'fal-ai/flux/schnell', prompt: 'x', n: 1, size: { width: 512, height: 512 }, aspectRatio: '1:1', loras: [{ path: 'https://x.test/l.safetensors', scale: 1 }], providerOptions: { sizing: 'image_size' } }, null);
    expect(submitted.warnings).toEqual([expect.objectContaining({ setting: 'loras' })]);
    expect(fal.log.submits[0]!.input).not.toHaveProperty('loras');
  });
});

describe('training a Style at fal', () => {
  const set: TrainingCall = {
    triggerWord: 'SKETCHY',
    steps: 600,
    images: [
      { bytes: createPng(8, 8, [1, 2, 3]), contentType: 'image/png', caption: 'a harbour in SKETCHY style' },
      { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), contentType: 'image/jpeg', caption: 'a bicycle in SKETCHY style' },
    ],
  };
  const verified = async (request: Request) => {
    const raw = await request.text();
    await trainer.verifyWebhook!(request.headers, raw, new Date());
    return trainer.parseTrainingWebhook!(request.headers, raw);
  };

  it('zips each image beside its caption, trains as a style, and reads the LoRA file from the webhook and the queue', async () => {
    const { requestId } = await trainer.startTraining(set, WEBHOOK);
    expect(fal.log.submits[0]).toMatchObject({ endpoint: FAL_TRAINING_ENDPOINT, input: { trigger_word: 'SKETCHY', is_style: true, steps: 600, images_data_url: expect.stringMatching(/^data:application\/zip;base64,/) } });
    expect(fal.log.archives.get(requestId)).toEqual({
      images: [
        { name: 'image_001.png', caption: 'a harbour in SKETCHY style' },
        { name: 'image_002.jpg', caption: 'a bicycle in SKETCHY style' },
      ],
    });
    await fal.pump();
    const event = await verified(delivered[0]!);
    const weights = { kind: 'lora', url: `${fal.origin}/files/${requestId}-lora.safetensors` };
    expect(event).toEqual({ eventId: `${requestId}:OK`, requestId, outcome: { state: 'succeeded', weights } });
    expect(await trainer.trainingStatus(requestId)).toEqual({ state: 'succeeded', weights });
    expect(fal.log.statusPaths).toEqual([`/fal-ai/flux-lora-fast-training/requests/${requestId}/status`]);
  });

  it('gives fal the archive’s link when there is one', async () => {
    const archiveUrl = 'https://api.example.test/v1/inputs/set_1.zip?sig=abc';
    archives.set(archiveUrl, trainingArchive(set));
    const { requestId } = await trainer.startTraining({ ...set, archiveUrl }, null);
    expect(fal.log.submits[0]!.input.images_data_url).toBe(archiveUrl);
    expect(fal.log.archives.get(requestId)!.images).toHaveLength(2);
    expect(Object.keys(unzipSync(trainingArchive(set))).sort()).toEqual(['image_001.png', 'image_001.txt', 'image_002.jpg', 'image_002.txt']);
    // A link fal cannot download is refused at once, in fal's words.
    const gone = await trainer.startTraining({ ...set, archiveUrl: 'https://api.example.test/v1/inputs/expired.zip' }, null).catch((e) => e);
    expect(gone.options).toMatchObject({ retryable: false, status: 422 });
    expect(gone.message).toMatch(/images_data_url: Failed to download the file: 404/);
  });

  it('a failed training is failed, with fal’s reason, by webhook and by polling', async () => {
    fal.behaviour.failTrainings = 1;
    const { requestId } = await trainer.startTraining(set, WEBHOOK);
    await fal.pump();
    expect((await verified(delivered[0]!)).outcome).toEqual({ state: 'failed', error: 'fal: images_data_url: Training failed: not enough usable images in the archive' });
    expect(await trainer.trainingStatus(requestId)).toMatchObject({ state: 'failed', error: expect.stringMatching(/not enough usable images/) });
  });

  it('a training reported without its payload is not failed: the weights come from the queue', async () => {
    fal.behaviour.payloadErrors = 1;
    const { requestId } = await trainer.startTraining(set, WEBHOOK);
    await fal.pump();
    expect(await verified(delivered[0]!)).toEqual({ eventId: `${requestId}:OK:no-result`, requestId, outcome: { state: 'pending' } });
    expect(await trainer.trainingStatus(requestId)).toMatchObject({ state: 'succeeded', weights: { kind: 'lora' } });
  });

  it('is pending while it trains, and can be canceled', async () => {
    fal.behaviour.autoComplete = false;
    const { requestId } = await trainer.startTraining(set, null);
    expect(await trainer.trainingStatus(requestId)).toEqual({ state: 'pending' });
    await trainer.cancelTraining(requestId);
    expect(fal.requests.get(requestId)!.canceled).toBe(true);
  });
});

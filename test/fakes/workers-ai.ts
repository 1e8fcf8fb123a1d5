// A Workers AI binding for tests: `run(model, inputs)` as the real `AI` binding answers it, for
// the models the catalog routes to Workers AI. Inputs are held to each model's published schema
// (Cloudflare's model pages, developers.cloudflare.com/workers-ai/models/<name>, and the
// `AiModels` types of @cloudflare/workers-types); failures are thrown the way workerd's binding
// throws them: an error named after the upstream error whose message is "<internalCode>: <description>"
// (developers.cloudflare.com/workers-ai/platform/errors).
import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import { PhotonImage } from '@cf-wasm/photon/workerd';

/** The error workerd's AI binding throws for an upstream refusal (`InferenceUpstreamError`, named as the upstream names it). */
export class InferenceUpstreamError extends Error {
  constructor(message: string, name = 'InferenceUpstreamError') {
    super(message);
    this.name = name;
  }
}

const refuse = (code: number, description: string) => new InferenceUpstreamError(`${code}: ${description}`, 'AiError');

const imageBytes: Schema = {
  oneOf: [
    { type: 'array', items: { type: 'number' } },
    { type: 'string', format: 'binary' },
  ],
};
const sampling: Record<string, Schema> = {
  raw: { type: 'boolean' },
  top_p: { type: 'number' },
  top_k: { type: 'number' },
  seed: { type: 'number' },
  repetition_penalty: { type: 'number' },
  frequency_penalty: { type: 'number' },
  presence_penalty: { type: 'number' },
};

/** Each model's published input schema (object form), as its model page gives it. */
const inputSchemas: Record<string, Schema> = {
  // Text-to-Image, output `{ image: base64 JPEG }`. One revision of the page declares
  // additionalProperties: false; the fake holds the adapter to it (a field outside the schema
  // is at best ignored, and the adapter must not rely on it).
  '@cf/black-forest-labs/flux-1-schnell': {
    type: 'object',
    properties: { prompt: { type: 'string', minLength: 1, maxLength: 2048 }, steps: { type: 'integer', maximum: 8 } },
    required: ['prompt'],
    additionalProperties: false,
  },
  // Image-to-Text, output `{ description }`.
  '@cf/llava-hf/llava-1.5-7b-hf': {
    type: 'object',
    properties: { image: imageBytes, prompt: { type: 'string' }, max_tokens: { type: 'integer' }, temperature: { type: 'number' }, ...sampling },
    required: ['image'],
  },
  '@cf/unum/uform-gen2-qwen-500m': {
    type: 'object',
    properties: { image: imageBytes, prompt: { type: 'string' }, max_tokens: { type: 'integer' }, ...sampling },
    required: ['image'],
  },
};
const validators = new Map(Object.entries(inputSchemas).map(([model, schema]) => [model, new Validator(schema, '2019-09', false)]));

/** Workers AI's validation wording (ajv's, behind code 5006). */
function validationError(model: string, inputs: Record<string, unknown>, errors: OutputUnit[]): InferenceUpstreamError {
  const missing = errors.find((e) => e.keyword === 'required');
  if (missing) {
    const at = missing.instanceLocation.replace(/^#/, '') || '/';
    return refuse(5006, `Error: required properties at '${at}' are '${missing.error.match(/"([^"]+)"/)?.[1] ?? ''}'`);
  }
  const extra = errors.find((e) => e.keyword === 'additionalProperties' || e.keyword === 'false');
  if (extra) {
    const known = Object.keys(inputSchemas[model]!.properties ?? {});
    return refuse(5006, `Error: must NOT have additional properties: ${Object.keys(inputs).filter((k) => !known.includes(k)).join(', ')}`);
  }
  const deepest = errors.at(-1)!;
  return refuse(5006, `Error: ${deepest.error} at '${deepest.instanceLocation.replace(/^#/, '')}'`);
}

const isImage = (bytes: Uint8Array) =>
  (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) || (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47);

/** A real 1024² JPEG (FLUX schnell's size on Workers AI), its colour drawn from the prompt, as base64. */
function jpegFor(prompt: string): string {
  let hash = 2166136261;
  for (let i = 0; i < prompt.length; i++) hash = Math.imul(hash ^ prompt.charCodeAt(i), 16777619);
  const side = 1024;
  const rgba = new Uint8Array(side * side * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    rgba[i] = hash & 255;
    rgba[i + 1] = (hash >>> 8) & 255;
    rgba[i + 2] = (hash >>> 16) & 255;
    rgba[i + 3] = 255;
  }
  const image = new PhotonImage(rgba, side, side);
  const jpeg = image.get_bytes_jpeg(80);
  image.free();
  let binary = '';
  for (let i = 0; i < jpeg.length; i += 0x8000) binary += String.fromCharCode(...jpeg.subarray(i, i + 0x8000));
  return btoa(binary);
}

export interface WorkersAiFake {
  /** The binding to hand the Worker as `AI`. */
  binding: {
    run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
    /** The account's model list (`AI.models({ search })`): the fake's models, each with its name. */
    models(params?: { search?: string }): Promise<{ id: string; name: string; task: { name: string } }[]>;
  };
  /** Every call, in order (refused ones too). */
  log: { model: string; inputs: Record<string, unknown> }[];
  behaviour: {
    /** Refusals to throw for the next calls, in order: e.g. [3040] (out of capacity), [3036] (daily allocation spent). */
    failNext: number[];
  };
}

const transient: Record<number, string> = {
  3007: 'Request timeout',
  3036: "You have used up your daily free allocation of 10,000 neurons. Please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage.",
  3040: 'No more data centers to forward the request to',
};

export function createWorkersAiFake(): WorkersAiFake {
  const fake: WorkersAiFake = {
    log: [],
    behaviour: { failNext: [] },
    binding: {
      async models(params) {
        return Object.keys(inputSchemas)
          .filter((name) => !params?.search || name.includes(params.search))
          .map((name) => ({ id: crypto.randomUUID(), name, task: { name: name.includes('flux') ? 'Text-to-Image' : 'Image-to-Text' } }));
      },
      async run(model, inputs) {
        fake.log.push({ model, inputs });
        const validator = validators.get(model);
        if (!validator) throw refuse(5007, `No such model ${model} or task`);
        const code = fake.behaviour.failNext.shift();
        if (code !== undefined) throw refuse(code, transient[code] ?? 'Upstream error');
        const checked = validator.validate(inputs);
        if (!checked.valid) throw validationError(model, inputs, checked.errors);
        if (model === '@cf/black-forest-labs/flux-1-schnell') return { image: jpegFor(inputs.prompt as string) };
        const image = inputs.image as number[] | string;
        const bytes = typeof image === 'string' ? Uint8Array.from(image, (c) => c.charCodeAt(0)) : Uint8Array.from(image);
        // Outside the schema's words but how a vision model fares: values past a byte, or bytes that
        // are no image, cannot be read (the documented "Invalid data" refusal).
        if (bytes.some((b, i) => typeof image !== 'string' && image[i] !== b) || !isImage(bytes)) throw refuse(5004, `Invalid data type for base64 input: ${typeof image === 'string' ? 'string' : 'array'}`);
        return { description: ` A ${bytes.length}-byte photograph of a red kite flying over a green field.` };
      },
    },
  };
  return fake;
}

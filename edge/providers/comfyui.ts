// ComfyUI on a designer's own GPU, through its HTTP API: inputs go up with POST /upload/image,
// an API-format workflow graph is queued with POST /prompt (under a prompt id we choose, so a
// lost answer can be looked up instead of queued twice), GET /queue and GET /history/{id} say
// how it went, and the pictures come back as bytes from GET /view (a ComfyUI is usually on a
// private network: its outputs are never handed on as URLs). ComfyUI sends no webhooks; the
// jobs' polling finishes the work (edge/domain/generations/poll.ts), listening between rounds
// to its WebSocket (/ws) for how many sampler steps are done.
import { z } from 'zod';
import { toHex } from '../../shared/encoding';
import { MAX_UPLOAD_BYTES } from '../../shared/imaging/limits';
import type { Fetcher } from './http';
import { type GenerateCall, type ImageProvider, type ProviderFile, type ProviderImage, type ProviderOutcome, ProviderError, type Warning } from './types';

export interface ComfyConfig {
  /** Where ComfyUI listens, e.g. http://127.0.0.1:8188 (COMFYUI_URL). */
  baseUrl: string;
  /** The checkpoint file in ComfyUI's models/checkpoints (COMFYUI_CHECKPOINT); default: the catalog route's. */
  checkpoint?: string;
  /** COMFYUI_WORKFLOWS: a JSON object of API-format graphs by workflow name, replacing the built-in ones. */
  workflows?: string;
  /** Sent as `Authorization: Bearer …`, for a ComfyUI behind a proxy that asks for one (COMFYUI_TOKEN). */
  token?: string;
  fetch?: Fetcher;
}

export const workflowNames = ['text-to-image', 'image-to-image', 'inpaint'] as const;
export type WorkflowName = (typeof workflowNames)[number];

/** An API-format graph: node id → class and inputs; an input `[nodeId, outputIndex]` links to another node. */
export type Graph = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }>;

const GraphSchema = z.record(
  z.string(),
  z.object({ class_type: z.string().min(1), inputs: z.record(z.string(), z.unknown()), _meta: z.object({ title: z.string().optional() }).optional() }),
);

/** What a workflow template may ask the studio to fill in, as `"{{name}}"`. */
export const placeholders = ['prompt', 'negative_prompt', 'seed', 'width', 'height', 'batch_size', 'checkpoint', 'steps', 'cfg', 'sampler_name', 'scheduler', 'denoise', 'image', 'mask'] as const;
type Placeholder = (typeof placeholders)[number];

const model = ['1', 0];
const clip = ['1', 1];
const vae = ['1', 2];
const sampler = (latent: string) => ({
  class_type: 'KSampler',
  inputs: {
    model,
    positive: ['2', 0],
    negative: ['3', 0],
    latent_image: [latent, 0],
    seed: '{{seed}}',
    steps: '{{steps}}',
    cfg: '{{cfg}}',
    sampler_name: '{{sampler_name}}',
    scheduler: '{{scheduler}}',
    denoise: '{{denoise}}',
  },
});
const common: Graph = {
  '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: '{{checkpoint}}' } },
  '2': { class_type: 'CLIPTextEncode', inputs: { text: '{{prompt}}', clip } },
  '3': { class_type: 'CLIPTextEncode', inputs: { text: '{{negative_prompt}}', clip } },
  '6': { class_type: 'VAEDecode', inputs: { samples: ['5', 0], vae } },
};
const loadScaled = (id: string, scaledId: string, placeholder: string, crop: 'center' | 'disabled'): Graph => ({
  [id]: { class_type: 'LoadImage', inputs: { image: placeholder } },
  [scaledId]: { class_type: 'ImageScale', inputs: { image: [id, 0], upscale_method: 'lanczos', width: '{{width}}', height: '{{height}}', crop } },
});

/** The graphs used when COMFYUI_WORKFLOWS names none: core nodes only, so any ComfyUI runs them. */
export const builtInWorkflows: Record<WorkflowName, Graph> = {
  'text-to-image': {
    ...common,
    '4': { class_type: 'EmptyLatentImage', inputs: { width: '{{width}}', height: '{{height}}', batch_size: '{{batch_size}}' } },
    '5': sampler('4'),
    '7': { class_type: 'SaveImage', inputs: { images: ['6', 0], filename_prefix: 'exactly' } },
  },
  // The reference, scaled and cropped to the asked size, is the starting point; denoise says how far to move from it.
  'image-to-image': {
    ...common,
    ...loadScaled('8', '9', '{{image}}', 'center'),
    '10': { class_type: 'VAEEncode', inputs: { pixels: ['9', 0], vae } },
    '4': { class_type: 'RepeatLatentBatch', inputs: { samples: ['10', 0], amount: '{{batch_size}}' } },
    '5': sampler('4'),
    '7': { class_type: 'SaveImage', inputs: { images: ['6', 0], filename_prefix: 'exactly' } },
  },
  // Only the masked area is sampled again, and pasted back over the untouched source.
  inpaint: {
    ...common,
    ...loadScaled('8', '9', '{{image}}', 'disabled'),
    ...loadScaled('11', '12', '{{mask}}', 'disabled'),
    '13': { class_type: 'ImageToMask', inputs: { image: ['12', 0], channel: 'red' } },
    '10': { class_type: 'VAEEncode', inputs: { pixels: ['9', 0], vae } },
    '14': { class_type: 'SetLatentNoiseMask', inputs: { samples: ['10', 0], mask: ['13', 0] } },
    '4': { class_type: 'RepeatLatentBatch', inputs: { samples: ['14', 0], amount: '{{batch_size}}' } },
    '5': sampler('4'),
    '15': { class_type: 'RepeatImageBatch', inputs: { image: ['9', 0], amount: '{{batch_size}}' } },
    '16': { class_type: 'ImageCompositeMasked', inputs: { destination: ['15', 0], source: ['6', 0], x: 0, y: 0, resize_source: false, mask: ['13', 0] } },
    '7': { class_type: 'SaveImage', inputs: { images: ['16', 0], filename_prefix: 'exactly' } },
  },
};

/** COMFYUI_WORKFLOWS read and checked, or a refusal that says what is wrong with it. */
export function parseWorkflows(raw: string | undefined): Partial<Record<WorkflowName, Graph>> {
  if (!raw?.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ProviderError(`COMFYUI_WORKFLOWS is not valid JSON (${(error as Error).message}).`, { retryable: false });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProviderError(`COMFYUI_WORKFLOWS must be a JSON object with any of ${workflowNames.join(', ')}, each an API-format graph.`, { retryable: false });
  }
  const workflows: Partial<Record<WorkflowName, Graph>> = {};
  for (const [name, graph] of Object.entries(value)) {
    if (!(workflowNames as readonly string[]).includes(name)) {
      throw new ProviderError(`COMFYUI_WORKFLOWS names a workflow "${name}"; the studio runs ${workflowNames.join(', ')}.`, { retryable: false });
    }
    const parsed = GraphSchema.safeParse(graph);
    if (!parsed.success || !Object.keys(parsed.data).length) {
      throw new ProviderError(`COMFYUI_WORKFLOWS["${name}"] is not an API-format graph (node ids → { class_type, inputs }); save it from ComfyUI with "Export (API)".`, {
        retryable: false,
      });
    }
    workflows[name as WorkflowName] = parsed.data;
  }
  return workflows;
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** The graph with every `{{name}}` filled: a whole-string placeholder keeps the value's type (a seed stays a number). */
export function fillWorkflow(name: WorkflowName, graph: Graph, values: Partial<Record<Placeholder, string | number>>): Graph {
  const valueOf = (key: string) => {
    if (!(placeholders as readonly string[]).includes(key)) {
      throw new ProviderError(`The ${name} workflow uses {{${key}}}, which the studio does not fill (it fills ${placeholders.join(', ')}).`, { retryable: false });
    }
    const value = values[key as Placeholder];
    if (value === undefined) throw new ProviderError(`The ${name} workflow uses {{${key}}}, but this request has no ${key}.`, { retryable: false });
    return value;
  };
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\{\{\s*([a-z_]+)\s*\}\}$/.exec(value);
      if (whole) return valueOf(whole[1]!);
      return value.replace(PLACEHOLDER, (_, key: string) => String(valueOf(key)));
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(graph) as Graph;
}

/** Which workflow a call needs, from its operation and inputs. */
export function workflowFor(call: Pick<GenerateCall, 'files' | 'mask' | 'providerOptions'>): WorkflowName {
  const operation = call.providerOptions?.operation ?? 'generate';
  if (operation === 'replace' || operation === 'erase') {
    if (!call.mask) throw new ProviderError(`${operation === 'erase' ? 'Erase' : 'Replace'} needs a mask of what to change.`, { retryable: false });
    return 'inpaint';
  }
  if (operation === 'recreate') return call.mask ? 'inpaint' : 'image-to-image';
  if (operation !== 'generate') throw new ProviderError(`The ComfyUI workflows here cannot ${String(operation)}.`, { retryable: false });
  return call.files?.length ? 'image-to-image' : 'text-to-image';
}

/** How far a workflow may move away from its input image (1: nothing of it is kept). */
export function denoiseFor(workflow: WorkflowName, call: Pick<GenerateCall, 'providerOptions'>): number {
  const options = call.providerOptions ?? {};
  if (typeof options.denoise === 'number') return Math.min(1, Math.max(0, options.denoise));
  if (workflow === 'text-to-image') return 1;
  if (options.operation === 'recreate') return workflow === 'inpaint' ? 0.75 : 0.6;
  if (workflow === 'inpaint') return 1;
  // A reference's weight (the mean of its component weights, default 1) keeps that much of its look: 1 → 0.55, 0 → 1.
  const weights = Object.values(((options.reference_weights as Record<string, number>[] | undefined)?.[0] ?? {}) as Record<string, number>).filter((w) => typeof w === 'number');
  const weight = weights.length ? Math.min(1, Math.max(0, weights.reduce((a, b) => a + b, 0) / weights.length)) : 1;
  return Math.round((1 - 0.45 * weight) * 100) / 100;
}

const ERASE_PROMPT = 'empty background, seamless continuation of the surroundings';
const NEGATIVE_PROMPT = 'blurry, low quality, watermark, text';

// ComfyUI's answers, as its server.py writes them.
const Refusal = z.object({
  error: z.union([z.string(), z.object({ type: z.string().optional(), message: z.string().optional(), details: z.string().optional() })]).optional(),
  node_errors: z
    .record(
      z.string(),
      z.object({
        errors: z.array(z.object({ type: z.string().optional(), message: z.string().optional(), details: z.string().optional() })).default([]),
        class_type: z.string().optional(),
      }),
    )
    .or(z.array(z.unknown()))
    .optional(),
});
const Accepted = z.object({ prompt_id: z.string().min(1), number: z.number().optional(), node_errors: z.unknown().optional() });
const Uploaded = z.object({ name: z.string().min(1), subfolder: z.string().default(''), type: z.string().optional() });
const QueueItem = z.array(z.unknown()).refine((item) => typeof item[1] === 'string');
const Queue = z.object({ queue_running: z.array(QueueItem).default([]), queue_pending: z.array(QueueItem).default([]) });
const OutputImage = z.object({ filename: z.string(), subfolder: z.string().default(''), type: z.string().default('output') });
const HistoryEntry = z.object({
  outputs: z.record(z.string(), z.object({ images: z.array(OutputImage).optional() }).passthrough()).default({}),
  status: z
    .object({
      status_str: z.string().optional(),
      completed: z.boolean().optional(),
      messages: z.array(z.tuple([z.string(), z.record(z.string(), z.unknown())])).default([]),
    })
    .optional(),
});

/** ComfyUI's refusal of a workflow, in the words of its validation, node by node. */
export function refusalReason(body: unknown): string {
  const parsed = Refusal.safeParse(body);
  if (!parsed.success) return typeof body === 'string' && body.trim() ? body.slice(0, 300) : 'no reason given';
  const { error, node_errors } = parsed.data;
  const parts: string[] = [];
  const nodes = node_errors && !Array.isArray(node_errors) ? Object.entries(node_errors) : [];
  for (const [id, node] of nodes) {
    for (const e of node.errors) {
      if (e.type === 'value_not_in_list' && e.details?.startsWith('ckpt_name')) {
        const asked = /'([^']*)'/.exec(e.details)?.[1] ?? '';
        parts.push(`ComfyUI has no checkpoint named "${asked}": set COMFYUI_CHECKPOINT to a file in its models/checkpoints folder`);
      } else {
        parts.push(`${node.class_type ?? 'node'} (node ${id}): ${[e.message, e.details].filter(Boolean).join(': ')}`);
      }
    }
  }
  const headline = typeof error === 'string' ? error : [error?.message, nodes.length ? '' : error?.details].filter(Boolean).join(': ');
  return [headline, ...parts].filter(Boolean).join('; ').slice(0, 600) || 'no reason given';
}

/**
 * The client id a prompt is queued under. ComfyUI sends a prompt's progress only to the
 * WebSocket opened with that id, so one per prompt lets any later poll round listen to it.
 */
export const clientIdOf = (promptId: string) => `exactly-${promptId}`;

/** Nodes that run the diffusion steps ComfyUI reports as `progress` (value of max). */
const SAMPLERS = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom', 'SamplerCustomAdvanced']);

/**
 * How far a running prompt has got, from a `progress` message of one node: each sampler of the
 * graph is an equal share, and every sampler the node depends on (an ancestor) is already done.
 * A graph with a second pass (a refiner, a hires fix) so reads 0–0.5 over the first sampler's
 * steps and 0.5–1 over the second's. Never 1 while it runs: saving the images is still to come.
 */
export function progressOf(graph: Graph | null, node: string, value: number, max: number): number {
  const own = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  const samplers = graph ? Object.keys(graph).filter((id) => SAMPLERS.has(graph[id]!.class_type)) : [];
  let fraction = own;
  if (graph && samplers.length) {
    const ancestors = new Set<string>();
    const visit = (id: string) => {
      for (const input of Object.values(graph[id]?.inputs ?? {})) {
        if (!Array.isArray(input) || input.length !== 2 || typeof input[1] !== 'number') continue;
        const from = String(input[0]);
        if (from in graph && !ancestors.has(from)) {
          ancestors.add(from);
          visit(from);
        }
      }
    };
    visit(node);
    const done = samplers.filter((id) => ancestors.has(id)).length;
    // Steps of a node that is not a sampler (an upscaler, say) are not a share of their own.
    fraction = (done + (SAMPLERS.has(graph[node]?.class_type ?? '') ? own : 0)) / samplers.length;
  }
  return Math.min(0.99, Math.round(fraction * 100) / 100);
}

// The WebSocket's text messages the studio reads; others (status, executed …) and binary preview frames are skipped.
const SocketMessage = z.object({
  type: z.string(),
  data: z.object({ prompt_id: z.string().optional(), node: z.string().nullable().optional(), value: z.number().optional(), max: z.number().optional() }).passthrough().optional(),
});

/** What ComfyUI's history says of a finished prompt, without its pictures. */
function ending(entry: z.infer<typeof HistoryEntry>): { state: 'succeeded' } | { state: 'failed'; error: string } | { state: 'canceled' } | null {
  const status = entry.status;
  const messages = status?.messages ?? [];
  const failure = messages.find(([event]) => event === 'execution_error')?.[1];
  if (failure) {
    const where = [failure.node_type, failure.node_id !== undefined ? `node ${String(failure.node_id)}` : ''].filter(Boolean).join(', ');
    const what = String(failure.exception_message ?? 'an error').trim().split('\n')[0]!.slice(0, 300);
    return { state: 'failed', error: `ComfyUI stopped with an error${where ? ` in ${where}` : ''}: ${what}` };
  }
  if (messages.some(([event]) => event === 'execution_interrupted')) return { state: 'canceled' };
  if (status?.status_str === 'error') return { state: 'failed', error: 'ComfyUI stopped with an error and gave no reason.' };
  // Older ComfyUIs write no status: outputs in the history mean it ran.
  if (!status || status.completed) return { state: 'succeeded' };
  return null;
}

export function comfyuiProvider(config: ComfyConfig): ImageProvider {
  const fetcher: Fetcher = config.fetch ?? ((input, init) => fetch(input, init));
  let base: URL | null = null;
  try {
    const url = new URL(config.baseUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') base = url;
  } catch {
    // said when a call is made
  }
  // Errors reach whoever generated: they name the setting, never the address (a tunnel's URL is the designer's secret).
  const where = 'ComfyUI (COMFYUI_URL)';

  function urlOf(path: string, query?: Record<string, string>): string {
    if (!base) throw new ProviderError('COMFYUI_URL is not a web address like http://127.0.0.1:8188.', { retryable: false });
    const url = new URL(base.pathname.replace(/\/+$/, '') + path, base);
    if (query) url.search = new URLSearchParams(query).toString();
    return url.href;
  }

  async function send(path: string, init: RequestInit & { query?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (config.token) headers.set('authorization', `Bearer ${config.token}`);
    try {
      return await fetcher(urlOf(path, init.query), { ...init, headers, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ProviderError(
        timedOut ? `${where} did not answer in time.` : `${where} could not be reached: is it running, and can the Worker reach that address?`,
        { retryable: true },
      );
    }
  }

  async function answer<T>(path: string, schema: z.ZodType<T>, init: RequestInit & { query?: Record<string, string> } = {}): Promise<T> {
    const response = await send(path, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // keep the text
    }
    if (!response.ok) {
      const reason = response.status === 400 ? refusalReason(body) : typeof body === 'string' && body ? body.slice(0, 200) : `it answered ${response.status}`;
      const whose = response.status === 401 || response.status === 403 ? ' (check COMFYUI_TOKEN)' : '';
      throw new ProviderError(`ComfyUI refused the request${whose}: ${reason}`, { retryable: response.status === 429 || response.status >= 500, status: response.status });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ProviderError(`${where} answered ${path} in a shape the studio does not know; is that address a ComfyUI?`, { retryable: false });
    return parsed.data;
  }

  async function upload(file: ProviderFile, role: 'image' | 'mask'): Promise<string> {
    // Named by content: sending the same input again overwrites one file instead of adding one.
    const digest = toHex(await crypto.subtle.digest('SHA-256', file.bytes as Uint8Array<ArrayBuffer>)).slice(0, 24);
    const extension = file.contentType === 'image/png' ? 'png' : file.contentType === 'image/webp' ? 'webp' : 'jpg';
    const form = new FormData();
    form.append('image', new File([file.bytes as Uint8Array<ArrayBuffer>], `exactly-${role}-${digest}.${extension}`, { type: file.contentType }));
    form.append('type', 'input');
    form.append('overwrite', 'true');
    const uploaded = await answer('/upload/image', Uploaded, { method: 'POST', body: form });
    return uploaded.subfolder ? `${uploaded.subfolder}/${uploaded.name}` : uploaded.name;
  }

  async function queue() {
    return answer('/queue', Queue);
  }

  async function history(promptId: string) {
    const all = await answer(`/history/${encodeURIComponent(promptId)}`, z.record(z.string(), z.unknown()));
    const entry = all[promptId];
    if (entry === undefined) return null;
    const parsed = HistoryEntry.safeParse(entry);
    if (!parsed.success) throw new ProviderError(`ComfyUI's history of ${promptId} is in a shape the studio does not know.`, { retryable: false });
    return parsed.data;
  }

  const has = (items: unknown[][], promptId: string) => items.some((item) => item[1] === promptId);

  /** Where a prompt is at ComfyUI: waiting, running, finished (its history), or unknown. */
  async function locate(promptId: string) {
    // The queue first: a prompt that ends in between is then found in the history.
    const { queue_running, queue_pending } = await queue();
    const entry = await history(promptId);
    if (entry) return { where: 'history' as const, entry };
    if (has(queue_running, promptId)) return { where: 'running' as const };
    if (has(queue_pending, promptId)) return { where: 'pending' as const };
    return { where: 'unknown' as const };
  }

  async function picture(image: z.infer<typeof OutputImage>): Promise<ProviderImage | null> {
    const response = await send('/view', { query: { filename: image.filename, subfolder: image.subfolder, type: image.type } });
    if (response.status >= 500) throw new ProviderError(`ComfyUI answered ${response.status} for an output; trying again later.`, { retryable: true });
    if (!response.ok || Number(response.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES) {
      await response.body?.cancel();
      return null;
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > MAX_UPLOAD_BYTES) return null;
    return { bytes, contentType: response.headers.get('content-type')?.split(';')[0] || 'image/png' };
  }

  return {
    id: 'comfyui',

    async submit(call) {
      const warnings: Warning[] = [];
      const options = call.providerOptions ?? {};
      const workflow = workflowFor(call);
      const graph = parseWorkflows(config.workflows)[workflow] ?? builtInWorkflows[workflow];
      const [image] = call.files ?? [];
      if (workflow === 'image-to-image' && (call.files?.length ?? 0) > 1) {
        warnings.push({ type: 'unsupported-setting', setting: 'files', details: 'ComfyUI starts from the first reference image only' });
      }
      if (call.mask && workflow !== 'inpaint') warnings.push({ type: 'unsupported-setting', setting: 'mask', details: 'this ComfyUI workflow takes no mask' });
      if (workflow !== 'text-to-image' && !image) throw new ProviderError('There is no image to start from.', { retryable: false });
      // Latents are 8 pixels a side: sizes are rounded down to multiples of 8.
      const side = (v: number) => Math.max(64, Math.floor(v / 8) * 8);
      const values: Partial<Record<Placeholder, string | number>> = {
        prompt: options.operation === 'erase' ? ERASE_PROMPT : call.prompt,
        negative_prompt: typeof options.negative_prompt === 'string' ? options.negative_prompt : NEGATIVE_PROMPT,
        seed: call.seed ?? crypto.getRandomValues(new Uint32Array(1))[0]!,
        width: side(call.size.width),
        height: side(call.size.height),
        batch_size: call.n,
        checkpoint: config.checkpoint || (typeof options.checkpoint === 'string' ? options.checkpoint : 'sd_xl_base_1.0.safetensors'),
        steps: typeof options.steps === 'number' ? options.steps : 25,
        cfg: typeof options.cfg === 'number' ? options.cfg : 7,
        sampler_name: typeof options.sampler_name === 'string' ? options.sampler_name : 'euler',
        scheduler: typeof options.scheduler === 'string' ? options.scheduler : 'normal',
        denoise: denoiseFor(workflow, call),
      };
      if (workflow !== 'text-to-image') values.image = await upload(image!, 'image');
      if (workflow === 'inpaint') values.mask = await upload(call.mask!, 'mask');
      const prompt = fillWorkflow(workflow, graph, values);

      const promptId = crypto.randomUUID();
      let accepted: z.infer<typeof Accepted>;
      try {
        accepted = await answer('/prompt', Accepted, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ prompt, client_id: clientIdOf(promptId), prompt_id: promptId }),
        });
      } catch (error) {
        // No answer is not no prompt: if ComfyUI queued it anyway, that one is ours.
        if (!(error instanceof ProviderError) || !error.retryable) throw error;
        const found = await locate(promptId).catch(() => null);
        if (found && found.where !== 'unknown') return { mode: 'async', requestId: promptId, warnings };
        throw error;
      }
      const nodeErrors = accepted.node_errors && typeof accepted.node_errors === 'object' ? Object.keys(accepted.node_errors) : [];
      if (nodeErrors.length) warnings.push({ type: 'other', details: `ComfyUI skipped outputs it found invalid: ${refusalReason({ node_errors: accepted.node_errors })}` });
      return { mode: 'async', requestId: accepted.prompt_id, warnings };
    },

    async status(_endpoint, requestId): Promise<ProviderOutcome> {
      const found = await locate(requestId);
      if (found.where === 'running' || found.where === 'pending') return { state: 'pending' };
      if (found.where === 'unknown') {
        return { state: 'failed', error: 'ComfyUI no longer knows this request (was it restarted, or its queue cleared?).' };
      }
      const end = ending(found.entry);
      if (!end) return { state: 'pending' };
      if (end.state !== 'succeeded') return end;
      // Saved pictures only: previews (type temp) are ComfyUI's scratch files.
      const saved = Object.keys(found.entry.outputs)
        .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))
        .flatMap((node) => found.entry.outputs[node]!.images ?? [])
        .filter((image) => image.type === 'output')
        .slice(0, 12);
      if (!saved.length) return { state: 'failed', error: 'ComfyUI finished without saving a picture: the workflow needs a SaveImage node.' };
      const images: ProviderImage[] = [];
      // One that cannot be had (gone, or too large) is simply not delivered, and refunded.
      for (const image of saved) {
        const got = await picture(image);
        if (got) images.push(got);
      }
      return { state: 'succeeded', images, rejected: 0 };
    },

    async watch(_endpoint, requestId, ms, onProgress) {
      // Its graph says how the steps of each sampler add up; a prompt no longer queued has ended.
      const { queue_running, queue_pending } = await queue();
      const item = queue_running.find((i) => i[1] === requestId) ?? queue_pending.find((i) => i[1] === requestId);
      if (!item) return 'ended';
      const parsed = GraphSchema.safeParse(item[2]);
      const graph = parsed.success ? parsed.data : null;
      // A Worker opens a WebSocket with a fetch that asks for the upgrade, at the http(s) form of
      // the address (what a browser would open as ws:// or wss://).
      const headers = new Headers({ upgrade: 'websocket' });
      if (config.token) headers.set('authorization', `Bearer ${config.token}`);
      let socket: WebSocket;
      try {
        const response = await fetcher(urlOf('/ws', { clientId: clientIdOf(requestId) }), { headers, signal: AbortSignal.timeout(ms) });
        if (response.status !== 101 || !response.webSocket) {
          await response.body?.cancel();
          return 'unavailable';
        }
        socket = response.webSocket;
      } catch (error) {
        if (error instanceof ProviderError) throw error;
        return 'unavailable';
      }
      socket.accept();
      return new Promise((resolve) => {
        let best = 0;
        const stop = (how: 'ended' | 'quiet') => {
          clearTimeout(timer);
          try {
            socket.close(1000, 'done listening');
          } catch {
            // already closed
          }
          resolve(how);
        };
        const timer = setTimeout(() => stop('quiet'), ms);
        socket.addEventListener('message', (event) => {
          if (typeof event.data !== 'string') return;
          let message: z.infer<typeof SocketMessage>;
          try {
            const parsed = SocketMessage.safeParse(JSON.parse(event.data));
            if (!parsed.success) return;
            message = parsed.data;
          } catch {
            return;
          }
          const data = message.data;
          // Older ComfyUIs send no prompt id with progress; the socket is this prompt's alone anyway.
          if (!data || (data.prompt_id !== undefined && data.prompt_id !== requestId)) return;
          // `executing` with no node comes once the history is written: the next status reads it.
          if (message.type === 'executing' && data.node === null && data.prompt_id === requestId) return stop('ended');
          if (message.type === 'progress' && typeof data.value === 'number' && typeof data.max === 'number') {
            const fraction = progressOf(graph, String(data.node ?? ''), data.value, data.max);
            if (fraction > best) {
              best = fraction;
              onProgress(fraction);
            }
          }
        });
        socket.addEventListener('close', () => stop('quiet'));
        socket.addEventListener('error', () => stop('quiet'));
      });
    },

    async cancel(_endpoint, requestId) {
      const { queue_running, queue_pending } = await queue();
      // Interrupt only when it is this prompt that runs: a bare /interrupt would stop whatever the designer is running.
      if (has(queue_running, requestId)) {
        await answer('/interrupt', z.unknown(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt_id: requestId }) });
      } else if (has(queue_pending, requestId)) {
        await answer('/queue', z.unknown(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delete: [requestId] }) });
      }
    },
  };
}

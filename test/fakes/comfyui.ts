// A local ComfyUI that speaks its HTTP API as its server.py does: POST /prompt validates the
// API-format graph the way execution.validate_prompt does (known node classes, links to
// existing nodes and outputs of the right type, required inputs, lists, ranges, uploaded
// files) and answers { prompt_id, number, node_errors } or 400 { error, node_errors };
// GET /queue, POST /queue { delete }, POST /interrupt { prompt_id }, GET /history/{id},
// GET /view and multipart POST /upload/image. Running a prompt works out each node's picture
// size and batch from the graph, so what SaveImage writes (real PNGs) is what the graph asks for.
// GET /ws?clientId=… upgrades to a WebSocket that, like server.py's, greets with `status`, and
// tells the client a prompt was queued under of its run: `execution_start`, `executing` per
// node, `progress` per step (step()), binary preview frames, and `executing` with no node once
// the history is written.
import { readImageHeader } from '../../shared/imaging/header';
import { createPng } from './png';

type Kind = 'MODEL' | 'CLIP' | 'VAE' | 'CONDITIONING' | 'LATENT' | 'IMAGE' | 'MASK';
type Spec =
  | { link: Kind }
  | { int: [number, number] }
  | { float: [number, number] }
  | { string: true }
  | { boolean: true }
  | { list: () => string[] }
  | { file: true };

interface NodeClass {
  required: Record<string, Spec>;
  optional?: Record<string, Spec>;
  outputs: Kind[];
  output?: 'output' | 'temp';
}

const samplers = ['euler', 'euler_ancestral', 'heun', 'dpm_2', 'dpm_2_ancestral', 'lms', 'dpmpp_2s_ancestral', 'dpmpp_sde', 'dpmpp_2m', 'dpmpp_2m_sde', 'ddim', 'uni_pc'];
const schedulers = ['normal', 'karras', 'exponential', 'sgm_uniform', 'simple', 'ddim_uniform', 'beta'];
const MAX_RES = 16384;

export interface ComfyFakeOptions {
  origin?: string;
  checkpoints?: string[];
  /** Demand `Authorization: Bearer <token>`, as a proxy in front of a ComfyUI would. */
  token?: string;
}

interface Shape {
  width: number;
  height: number;
  batch: number;
  seed?: number;
}

interface Prompt {
  number: number;
  id: string;
  graph: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  extra: Record<string, unknown>;
  outputs: string[];
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function createComfyFake(options: ComfyFakeOptions = {}) {
  const origin = options.origin ?? 'http://comfyui.fake:8188';
  const checkpoints = options.checkpoints ?? ['sd_xl_base_1.0.safetensors', 'dreamshaperXL.safetensors'];
  const inputs = new Map<string, Uint8Array>();
  const outputs = new Map<string, Uint8Array<ArrayBuffer>>();
  const pending: Prompt[] = [];
  let running: Prompt | null = null;
  const history = new Map<string, Record<string, unknown>>();
  let number = 0;
  let saved = 0;
  const behaviour = {
    /** Run each prompt as soon as it is queued (else it waits for start() and finish()). */
    autoRun: true,
    /** The node class that raises while running, and what it says (execution_error). */
    failIn: null as null | { class_type: string; message: string },
    /** Queue the next prompts, then drop the connection before answering. */
    loseAnswers: 0,
  };
  const log = {
    prompts: [] as { body: any; status: number }[],
    uploads: [] as { name: string; type: string; overwrite: string | null; contentType: string; bytes: number }[],
    interrupts: [] as (string | null)[],
    deletes: [] as string[],
    views: [] as string[],
    sockets: [] as { clientId: string; authorization: string | null }[],
  };

  const classes: Record<string, NodeClass> = {
    CheckpointLoaderSimple: { required: { ckpt_name: { list: () => checkpoints } }, outputs: ['MODEL', 'CLIP', 'VAE'] },
    CLIPTextEncode: { required: { text: { string: true }, clip: { link: 'CLIP' } }, outputs: ['CONDITIONING'] },
    EmptyLatentImage: { required: { width: { int: [16, MAX_RES] }, height: { int: [16, MAX_RES] }, batch_size: { int: [1, 4096] } }, outputs: ['LATENT'] },
    KSampler: {
      required: {
        model: { link: 'MODEL' },
        seed: { int: [0, 2 ** 64 - 1] },
        steps: { int: [1, 10000] },
        cfg: { float: [0, 100] },
        sampler_name: { list: () => samplers },
        scheduler: { list: () => schedulers },
        positive: { link: 'CONDITIONING' },
        negative: { link: 'CONDITIONING' },
        latent_image: { link: 'LATENT' },
        denoise: { float: [0, 1] },
      },
      outputs: ['LATENT'],
    },
    VAEDecode: { required: { samples: { link: 'LATENT' }, vae: { link: 'VAE' } }, outputs: ['IMAGE'] },
    VAEEncode: { required: { pixels: { link: 'IMAGE' }, vae: { link: 'VAE' } }, outputs: ['LATENT'] },
    VAEEncodeForInpaint: { required: { pixels: { link: 'IMAGE' }, vae: { link: 'VAE' }, mask: { link: 'MASK' }, grow_mask_by: { int: [0, 64] } }, outputs: ['LATENT'] },
    SetLatentNoiseMask: { required: { samples: { link: 'LATENT' }, mask: { link: 'MASK' } }, outputs: ['LATENT'] },
    RepeatLatentBatch: { required: { samples: { link: 'LATENT' }, amount: { int: [1, 64] } }, outputs: ['LATENT'] },
    RepeatImageBatch: { required: { image: { link: 'IMAGE' }, amount: { int: [1, 4096] } }, outputs: ['IMAGE'] },
    LoadImage: { required: { image: { file: true } }, outputs: ['IMAGE', 'MASK'] },
    LoadImageMask: { required: { image: { file: true }, channel: { list: () => ['alpha', 'red', 'green', 'blue'] } }, outputs: ['MASK'] },
    ImageScale: {
      required: {
        image: { link: 'IMAGE' },
        upscale_method: { list: () => ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos'] },
        width: { int: [0, MAX_RES] },
        height: { int: [0, MAX_RES] },
        crop: { list: () => ['disabled', 'center'] },
      },
      outputs: ['IMAGE'],
    },
    ImageToMask: { required: { image: { link: 'IMAGE' }, channel: { list: () => ['red', 'green', 'blue', 'alpha'] } }, outputs: ['MASK'] },
    ImageCompositeMasked: {
      required: { destination: { link: 'IMAGE' }, source: { link: 'IMAGE' }, x: { int: [0, MAX_RES] }, y: { int: [0, MAX_RES] }, resize_source: { boolean: true } },
      optional: { mask: { link: 'MASK' } },
      outputs: ['IMAGE'],
    },
    SaveImage: { required: { images: { link: 'IMAGE' }, filename_prefix: { string: true } }, outputs: [], output: 'output' },
    PreviewImage: { required: { images: { link: 'IMAGE' } }, outputs: [], output: 'temp' },
  };

  const problem = (type: string, message: string, details: string) => ({ type, message, details, extra_info: {} });
  const isLink = (v: unknown): v is [string, number] => Array.isArray(v);

  /** validate_prompt: a prompt-level error, or the errors of each node an output depends on. */
  function validate(graph: any): { error: ReturnType<typeof problem>; node_errors: Record<string, unknown> } | { outputs: string[] } {
    if (!graph || typeof graph !== 'object' || Array.isArray(graph)) return { error: problem('invalid_prompt', 'Cannot execute because the prompt is not an object.', ''), node_errors: {} };
    for (const [id, node] of Object.entries<any>(graph)) {
      if (!node?.class_type) return { error: problem('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`), node_errors: {} };
      if (!classes[node.class_type]) {
        return { error: problem('missing_node_type', `Node '${node.class_type}' not found. The custom node may not be installed.`, `Node ID '#${id}'`), node_errors: {} };
      }
    }
    const outputIds = Object.keys(graph).filter((id) => classes[graph[id].class_type]!.output);
    if (!outputIds.length) return { error: problem('prompt_no_outputs', 'Prompt has no outputs', ''), node_errors: {} };
    const nodeErrors: Record<string, { errors: unknown[]; dependent_outputs: string[]; class_type: string }> = {};
    const checked = new Map<string, boolean>();
    const check = (id: string, output: string): boolean => {
      if (checked.has(id)) return checked.get(id)!;
      checked.set(id, true);
      const node = graph[id];
      const cls = classes[node.class_type]!;
      const errors: unknown[] = [];
      let innerFailed = false;
      const specs = { ...cls.required, ...cls.optional };
      for (const name of Object.keys(cls.required)) if (!(name in (node.inputs ?? {}))) errors.push(problem('required_input_missing', 'Required input is missing', name));
      for (const [name, value] of Object.entries<unknown>(node.inputs ?? {})) {
        const spec = specs[name];
        if (!spec) continue; // ComfyUI ignores inputs a node does not declare
        if (isLink(value)) {
          if (value.length !== 2 || typeof value[1] !== 'number') {
            errors.push(problem('bad_linked_input', 'Bad linked input, must be a length-2 list of [node_id, slot_index]', `${name}, ${JSON.stringify(value)}`));
            continue;
          }
          const source = graph[String(value[0])];
          if (!source) {
            errors.push(problem('exception_during_inner_validation', 'Exception when validating inner node', `'${String(value[0])}'`));
            continue;
          }
          const produced = classes[source.class_type]!.outputs[value[1]];
          const wanted = 'link' in spec ? spec.link : null;
          if (produced !== wanted) {
            errors.push(problem('return_type_mismatch', 'Return type mismatch between linked nodes', `${name}, received_type(${produced ?? 'nothing'}) mismatch input_type(${wanted ?? 'a value'})`));
            continue;
          }
          // As in ComfyUI, an inner node's failure is reported on that node only, and fails this one too.
          if (!check(String(value[0]), output)) innerFailed = true;
          continue;
        }
        if ('link' in spec) {
          errors.push(problem('bad_linked_input', 'Bad linked input, must be a length-2 list of [node_id, slot_index]', `${name}, ${JSON.stringify(value)}`));
        } else if ('int' in spec || 'float' in spec) {
          const [min, max] = 'int' in spec ? spec.int : spec.float;
          const kind = 'int' in spec ? 'INT' : 'FLOAT';
          if (typeof value !== 'number' || ('int' in spec && !Number.isInteger(value))) errors.push(problem('invalid_input_type', `Failed to convert an input value to a ${kind} value`, `${name}, ${JSON.stringify(value)}`));
          else if (value < min) errors.push(problem('value_smaller_than_min', `Value ${value} smaller than min of ${min}`, name));
          else if (value > max) errors.push(problem('value_bigger_than_max', `Value ${value} bigger than max of ${max}`, name));
        } else if ('string' in spec) {
          if (typeof value !== 'string') errors.push(problem('invalid_input_type', 'Failed to convert an input value to a STRING value', `${name}, ${JSON.stringify(value)}`));
        } else if ('boolean' in spec) {
          if (typeof value !== 'boolean') errors.push(problem('invalid_input_type', 'Failed to convert an input value to a BOOLEAN value', `${name}, ${JSON.stringify(value)}`));
        } else if ('list' in spec) {
          if (!spec.list().includes(value as string)) errors.push(problem('value_not_in_list', 'Value not in list', `${name}: '${String(value)}' not in ${JSON.stringify(spec.list())}`));
        } else if ('file' in spec) {
          if (typeof value !== 'string' || !inputs.has(value)) errors.push(problem('custom_validation_failed', 'Custom validation failed for node', `${name} - Invalid image file: ${String(value)}`));
        }
      }
      if (errors.length) nodeErrors[id] = { errors, dependent_outputs: [output], class_type: node.class_type };
      checked.set(id, !errors.length && !innerFailed);
      return !errors.length && !innerFailed;
    };
    const good = outputIds.filter((id) => check(id, id));
    if (!good.length) {
      const details = Object.entries(nodeErrors)
        .flatMap(([id, n]) => n.errors.map((e: any) => `${n.class_type} ${id}: ${e.message}: ${e.details}`))
        .join('\n');
      return { error: problem('prompt_outputs_failed_validation', 'Prompt outputs failed validation', details), node_errors: nodeErrors };
    }
    return { outputs: good };
  }

  /** Runs a prompt: each node's picture size and batch, worked out from the graph; SaveImage writes them. */
  function execute(prompt: Prompt): Record<string, unknown> {
    const messages: [string, Record<string, unknown>][] = [['execution_start', { prompt_id: prompt.id, timestamp: Date.now() }], ['execution_cached', { nodes: [], prompt_id: prompt.id, timestamp: Date.now() }]];
    const results = new Map<string, (Shape | null)[]>();
    const written: Record<string, { images: { filename: string; subfolder: string; type: string }[] }> = {};
    const executed: string[] = [];
    const run = (id: string): (Shape | null)[] => {
      if (results.has(id)) return results.get(id)!;
      const node = prompt.graph[id]!;
      const input = (name: string) => {
        const value = node.inputs[name];
        return isLink(value) ? run(String(value[0]))[value[1]] ?? null : value;
      };
      for (const name of Object.keys(node.inputs)) if (isLink(node.inputs[name])) input(name);
      if (behaviour.failIn?.class_type === node.class_type) {
        throw Object.assign(new Error(behaviour.failIn.message), { node: id, class_type: node.class_type });
      }
      const shape = (name: string) => input(name) as Shape;
      let out: (Shape | null)[];
      switch (node.class_type) {
        case 'EmptyLatentImage':
          out = [{ width: node.inputs.width as number, height: node.inputs.height as number, batch: node.inputs.batch_size as number }];
          break;
        case 'LoadImage':
        case 'LoadImageMask': {
          const header = readImageHeader(inputs.get(node.inputs.image as string)!);
          if (!header) throw Object.assign(new Error('cannot identify image file'), { node: id, class_type: node.class_type });
          const picture = { width: header.width, height: header.height, batch: 1 };
          out = [picture, picture];
          break;
        }
        case 'ImageScale': {
          const source = shape('image');
          out = [{ width: (node.inputs.width as number) || source.width, height: (node.inputs.height as number) || source.height, batch: source.batch }];
          break;
        }
        case 'VAEEncode':
        case 'VAEEncodeForInpaint': {
          const source = shape('pixels');
          // Encoding crops to whole latent pixels (8 image pixels each).
          out = [{ ...source, width: Math.floor(source.width / 8) * 8, height: Math.floor(source.height / 8) * 8 }];
          break;
        }
        case 'RepeatLatentBatch':
          out = [{ ...shape('samples'), batch: shape('samples').batch * (node.inputs.amount as number) }];
          break;
        case 'RepeatImageBatch':
          out = [{ ...shape('image'), batch: shape('image').batch * (node.inputs.amount as number) }];
          break;
        case 'SetLatentNoiseMask':
          out = [shape('samples')];
          break;
        case 'KSampler':
          out = [{ ...shape('latent_image'), seed: node.inputs.seed as number }];
          break;
        case 'VAEDecode':
          out = [shape('samples')];
          break;
        case 'ImageToMask':
          out = [shape('image')];
          break;
        case 'ImageCompositeMasked':
          // The source is repeated or cut to the destination's batch, as comfy's composite does.
          out = [{ ...shape('destination'), seed: shape('source').seed }];
          break;
        case 'SaveImage':
        case 'PreviewImage': {
          const images = shape('images');
          const type = classes[node.class_type]!.output!;
          written[id] = { images: [] };
          for (let i = 0; i < images.batch; i++) {
            const filename = `${node.class_type === 'SaveImage' ? node.inputs.filename_prefix : 'ComfyUI_temp'}_${String(++saved).padStart(5, '0')}_.png`;
            const seed = (images.seed ?? 0) + i;
            outputs.set(`${type}/${filename}`, createPng(images.width, images.height, [seed % 256, (seed >> 8) % 256, 90]));
            written[id].images.push({ filename, subfolder: '', type });
          }
          out = [];
          break;
        }
        default:
          out = classes[node.class_type]!.outputs.map(() => null);
      }
      executed.push(id);
      results.set(id, out);
      return out;
    };
    let status: Record<string, unknown>;
    try {
      for (const id of prompt.outputs) run(id);
      messages.push(['execution_success', { prompt_id: prompt.id, timestamp: Date.now() }]);
      status = { status_str: 'success', completed: true, messages };
    } catch (error) {
      const e = error as Error & { node: string; class_type: string };
      messages.push([
        'execution_error',
        {
          prompt_id: prompt.id,
          node_id: e.node,
          node_type: e.class_type,
          executed,
          exception_message: `${e.message}\n`,
          exception_type: 'torch.OutOfMemoryError',
          traceback: ['  File "execution.py", line 496, in execute\n'],
          current_inputs: {},
          current_outputs: {},
          timestamp: Date.now(),
        },
      ]);
      status = { status_str: 'error', completed: false, messages };
    }
    return { prompt: [prompt.number, prompt.id, prompt.graph, prompt.extra, prompt.outputs], outputs: written, status, meta: {} };
  }

  /**
   * Open WebSockets by client id (a reconnect under the same id replaces the old one, as in
   * server.py). workerd lets only the request that made a socket use it, so frames wait in an
   * outbox that the socket's own request sends from.
   */
  const sockets = new Map<string, { outbox: (string | Uint8Array<ArrayBuffer> | 'close')[] }>();
  let lastNode: string | null = null;
  const clientOf = (prompt: Prompt) => (typeof prompt.extra.client_id === 'string' ? prompt.extra.client_id : null);
  function sendTo(clientId: string | null, frame: string | Uint8Array<ArrayBuffer>) {
    sockets.get(clientId ?? '')?.outbox.push(frame);
  }
  function tell(prompt: Prompt, type: string, data: Record<string, unknown>) {
    sendTo(clientOf(prompt), JSON.stringify({ type, data }));
  }

  function finishRunning() {
    if (!running) return;
    const prompt = running;
    const entry = execute(prompt);
    const messages = (entry.status as { messages: [string, Record<string, unknown>][] }).messages;
    // execution_success / execution_error go out from inside the run, before the history is written.
    const [event, data] = messages.at(-1)!;
    tell(prompt, event, data);
    history.set(prompt.id, entry);
    running = null;
    lastNode = null;
    tell(prompt, 'executing', { node: null, prompt_id: prompt.id });
  }

  /** The running prompt's `node` has done `value` of `max` steps: its client hears of it (with a preview frame first). */
  function step(node: string, value: number, max: number) {
    if (!running) throw new Error('no prompt is running');
    if (lastNode !== node) {
      lastNode = node;
      tell(running, 'executing', { node, display_node: node, prompt_id: running.id });
    }
    // A preview: event 1 (PREVIEW_IMAGE), format 1 (JPEG), then the picture's bytes.
    sendTo(clientOf(running), new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 0xff, 0xd8, 0xff, 0xd9]));
    tell(running, 'progress', { value, max, prompt_id: running.id, node });
  }

  function openSocket(url: URL, request: Request): Response {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('Expected WebSocket upgrade', { status: 400 });
    const clientId = url.searchParams.get('clientId') ?? crypto.randomUUID().replaceAll('-', '');
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    server.accept();
    sockets.get(clientId)?.outbox.push('close');
    const entry = { outbox: [] as (string | Uint8Array<ArrayBuffer> | 'close')[] };
    sockets.set(clientId, entry);
    let open = true;
    const closed = () => {
      open = false;
      if (sockets.get(clientId) === entry) sockets.delete(clientId);
    };
    server.addEventListener('close', closed);
    server.addEventListener('error', closed);
    const flush = () => {
      if (!open) return;
      for (const frame of entry.outbox.splice(0)) {
        if (frame === 'close') {
          server.close(1000, 'replaced');
          return closed();
        }
        server.send(frame);
      }
      setTimeout(flush, 5);
    };
    log.sockets.push({ clientId, authorization: request.headers.get('authorization') });
    entry.outbox.push(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: pending.length + (running ? 1 : 0) } }, sid: clientId } }));
    // The prompt's own client, reconnecting mid-run, is told which node runs.
    if (running && clientOf(running) === clientId && lastNode) tell(running, 'executing', { node: lastNode, display_node: lastNode, prompt_id: running.id });
    flush();
    return new Response(null, { status: 101, webSocket: client });
  }

  const queueItem = (p: Prompt) => [p.number, p.id, p.graph, p.extra, p.outputs];

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (options.token && request.headers.get('authorization') !== `Bearer ${options.token}`) return new Response('401: Unauthorized', { status: 401 });
    const path = url.pathname.replace(/^\/api(?=\/)/, '');
    if (request.method === 'GET' && path === '/ws') return openSocket(url, request);
    if (request.method === 'POST' && path === '/prompt') {
      let body: any;
      try {
        body = await request.json();
      } catch {
        return new Response('500 Internal Server Error', { status: 500 });
      }
      if (!('prompt' in body)) return json({ error: problem('no_prompt', 'No prompt provided', 'No prompt provided'), node_errors: {} }, 400);
      const valid = validate(body.prompt);
      if ('error' in valid) {
        log.prompts.push({ body, status: 400 });
        return json({ error: valid.error, node_errors: valid.node_errors }, 400);
      }
      const id = String(body.prompt_id ?? crypto.randomUUID());
      const prompt: Prompt = { number: number++, id, graph: body.prompt, extra: { ...body.extra_data, client_id: body.client_id }, outputs: valid.outputs };
      log.prompts.push({ body, status: 200 });
      pending.push(prompt);
      if (behaviour.autoRun) {
        start();
        finishRunning();
      }
      if (behaviour.loseAnswers > 0) {
        behaviour.loseAnswers--;
        throw new TypeError('Network connection lost.');
      }
      return json({ prompt_id: id, number: prompt.number, node_errors: {} });
    }
    if (request.method === 'GET' && path === '/queue') {
      return json({ queue_running: running ? [queueItem(running)] : [], queue_pending: pending.map(queueItem) });
    }
    if (request.method === 'POST' && path === '/queue') {
      const body = (await request.json()) as { delete?: string[]; clear?: boolean };
      for (const id of body.delete ?? []) {
        log.deletes.push(id);
        const at = pending.findIndex((p) => p.id === id);
        if (at >= 0) pending.splice(at, 1);
      }
      if (body.clear) pending.length = 0;
      return new Response(null, { status: 200 });
    }
    if (request.method === 'POST' && path === '/interrupt') {
      const text = await request.text();
      const promptId = text ? ((JSON.parse(text) as { prompt_id?: string }).prompt_id ?? null) : null;
      log.interrupts.push(promptId);
      // With a prompt id, only that prompt is stopped, and only while it runs.
      if (running && (promptId === null || promptId === running.id)) {
        history.set(running.id, {
          prompt: queueItem(running),
          outputs: {},
          status: {
            status_str: 'error',
            completed: false,
            messages: [
              ['execution_start', { prompt_id: running.id, timestamp: Date.now() }],
              ['execution_interrupted', { prompt_id: running.id, node_id: '5', node_type: 'KSampler', executed: ['1', '2', '3', '4'], timestamp: Date.now() }],
            ],
          },
          meta: {},
        });
        const stopped = running;
        running = null;
        lastNode = null;
        tell(stopped, 'execution_interrupted', { prompt_id: stopped.id, node_id: '5', node_type: 'KSampler', executed: ['1', '2', '3', '4'], timestamp: Date.now() });
        tell(stopped, 'executing', { node: null, prompt_id: stopped.id });
      }
      return new Response(null, { status: 200 });
    }
    const historyMatch = /^\/history\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && historyMatch) {
      const id = decodeURIComponent(historyMatch[1]!);
      const entry = history.get(id);
      return json(entry ? { [id]: entry } : {});
    }
    if (request.method === 'GET' && path === '/view') {
      const filename = url.searchParams.get('filename') ?? '';
      const type = url.searchParams.get('type') ?? 'output';
      const subfolder = url.searchParams.get('subfolder') ?? '';
      if (!filename || filename.startsWith('/') || filename.includes('..') || subfolder.includes('..')) return new Response(null, { status: 400 });
      log.views.push(filename);
      const bytes = type === 'input' ? inputs.get(filename) : outputs.get(`${type}/${subfolder ? `${subfolder}/` : ''}${filename}`);
      if (!bytes) return new Response(null, { status: 404 });
      return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'image/png', 'content-disposition': `filename="${filename}"` } });
    }
    if (request.method === 'POST' && path === '/upload/image') {
      const form = await request.formData().catch(() => null);
      const image = form?.get('image');
      if (!form || !image || typeof image === 'string' || !image.name) return new Response(null, { status: 400 });
      const type = (form.get('type') as string | null) ?? 'input';
      const subfolder = (form.get('subfolder') as string | null) ?? '';
      const overwrite = form.get('overwrite') as string | null;
      let name = image.name;
      const bytes = new Uint8Array(await image.arrayBuffer());
      if (overwrite !== 'true' && overwrite !== '1') {
        const [stem, ext] = [name.replace(/\.[^.]*$/, ''), name.slice(name.lastIndexOf('.'))];
        for (let i = 1; inputs.has(subfolder ? `${subfolder}/${name}` : name); i++) name = `${stem} (${i})${ext}`;
      }
      inputs.set(subfolder ? `${subfolder}/${name}` : name, bytes);
      log.uploads.push({ name, type, overwrite, contentType: image.type, bytes: bytes.byteLength });
      return json({ name, subfolder, type });
    }
    return new Response('404: Not Found', { status: 404 });
  }

  /** The next waiting prompt starts running. */
  function start() {
    if (running) return;
    running = pending.shift() ?? null;
    if (running) tell(running, 'execution_start', { prompt_id: running.id, timestamp: Date.now() });
  }

  return {
    origin,
    behaviour,
    log,
    handle,
    start,
    /** The running prompt ends (as it would, or with behaviour.failIn's error). */
    finish: finishRunning,
    step,
    /** Client ids with a WebSocket open now. */
    get listening() {
      return [...sockets.keys()];
    },
    get running() {
      return running?.id ?? null;
    },
    get pending() {
      return pending.map((p) => p.id);
    },
    history,
    inputs,
    /** No webhooks to send: ComfyUI has none. */
    async pump() {},
  };
}

export type ComfyFake = ReturnType<typeof createComfyFake>;

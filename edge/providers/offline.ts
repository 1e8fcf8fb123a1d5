// The offline renderer: the embedded provider that makes the product run with no key and no
// network. Deterministic (same request and seed, same pixels), at the requested size, shaped
// by the prompt and by the references' measured style components. Agentic runs here too:
// it blends the references' components with per-reference, per-component weights.
import { blendComponents, type ComponentWeights, extractComponents, type StyleComponents } from '../../shared/style/components';
import { hash32, promptComponents } from '../../shared/style/prompt';
import { paintScene } from '../../shared/style/render';
import type { ImageRenderer } from '../imaging/renderer';
import type { GenerateCall, ImageProvider, ProviderFile } from './types';

/** References are measured small: style lives in the large shapes and colours. */
const MEASURE_SIDE = 128;

export async function measure(renderer: ImageRenderer, file: ProviderFile): Promise<StyleComponents> {
  return extractComponents(await renderer.decode(file.bytes, MEASURE_SIDE));
}

/** The components an offline image is painted from: the prompt's own, then the references'. */
export async function sceneComponents(renderer: ImageRenderer, call: Pick<GenerateCall, 'prompt' | 'files' | 'providerOptions'>): Promise<StyleComponents> {
  const own = promptComponents(call.prompt);
  const files = call.files ?? [];
  if (!files.length) return own;
  const weights = (call.providerOptions?.reference_weights as ComponentWeights[] | undefined) ?? [];
  const references = await Promise.all(files.map(async (file, i) => ({ components: await measure(renderer, file), weights: weights[i] })));
  // The prompt keeps a say in light and framing; the references lead on colour and grade.
  return blendComponents([{ components: own, weights: { palette: 0.25, grading: 0.5, lighting: 1, composition: 1 } }, ...references])!;
}

export function offlineProvider(renderer: ImageRenderer): ImageProvider {
  return {
    id: 'offline',
    async submit(call) {
      const components = await sceneComponents(renderer, call);
      const base = call.seed ?? hash32(call.prompt);
      const images = [];
      for (let i = 0; i < call.n; i++) {
        const rgba = paintScene({ width: call.size.width, height: call.size.height, seed: (base + i) >>> 0, components });
        images.push({ bytes: await renderer.encodePng({ width: call.size.width, height: call.size.height, rgba }), contentType: 'image/png' });
      }
      return { mode: 'sync', outcome: { state: 'succeeded', images, rejected: 0 }, warnings: [] };
    },
    async status() {
      return { state: 'failed', error: 'Offline renders finish when they are submitted.' };
    },
    async cancel() {},
  };
}

// The offline renderer: the embedded provider that makes the product run with no key and no
// network. Deterministic (same request and seed, same pixels), at the requested size, shaped
// by the prompt and by the references' measured style components. Agentic runs here too:
// it blends the references' components with per-reference, per-component weights.
import { composite, feather, gradeByInstruction, inpaint, maskOf } from '../../shared/imaging/edits';
import { blendComponents, completeComponents, type ComponentWeights, extractComponents, type Raster, type StyleComponents } from '../../shared/style/components';
import { hash32, promptComponents } from '../../shared/style/prompt';
import { encodePngInBands } from '../../shared/imaging/png-encode';
import { paintScene, paintSceneInSlices } from '../../shared/style/render';
import type { ImageRenderer } from '../imaging/renderer';
import { yieldToRequests } from '../scheduling';
import type { GenerateCall, ImageProvider, ProviderFile, ProviderOutcome } from './types';

/** References are measured small: style lives in the large shapes and colours. */
const MEASURE_SIDE = 128;

export async function measure(renderer: ImageRenderer, file: ProviderFile): Promise<StyleComponents> {
  return extractComponents(await renderer.decode(file.bytes, MEASURE_SIDE));
}

/**
 * The components an offline image is painted from: the prompt's own, then an Agentic recipe's
 * and the references' (a pin's images among them), each reference by its per-component weights.
 */
export async function sceneComponents(renderer: ImageRenderer, call: Pick<GenerateCall, 'prompt' | 'files' | 'providerOptions'>): Promise<StyleComponents> {
  const prompt = promptComponents(call.prompt);
  // A recipe is a blend saved earlier: it counts as one more reference, every component at full weight.
  const recipe = call.providerOptions?.recipe ? completeComponents(call.providerOptions.recipe as StyleComponents) : undefined;
  // A Style leads on colour, light and grade; the prompt still frames the picture.
  const style = call.providerOptions?.components as StyleComponents | undefined;
  const own = style
    ? blendComponents([
        { components: style, weights: { palette: 1, grading: 1, lighting: 1, composition: 0.3 } },
        { components: prompt, weights: { palette: 0, grading: 0.2, lighting: 0.3, composition: 1 } },
      ])!
    : prompt;
  const files = call.files ?? [];
  if (!files.length && !recipe) return own;
  const weights = (call.providerOptions?.reference_weights as ComponentWeights[] | undefined) ?? [];
  const references = await Promise.all(files.map(async (file, i) => ({ components: await measure(renderer, file), weights: weights[i] })));
  // The prompt keeps a say in light and framing; the recipe and the references lead on colour and grade.
  return blendComponents([{ components: own, weights: { palette: 0.25, grading: 0.5, lighting: 1, composition: 1 } }, ...(recipe ? [{ components: recipe }] : []), ...references])!;
}

/**
 * Edits with classical image processing: erase fills the mask from its surroundings;
 * replace erases, then paints the prompt into the mask; recreate paints a new scene in the
 * image's own measured style (in the mask, or over the whole image as a variation);
 * instruct applies the colour and light changes the instruction names.
 */
async function edit(renderer: ImageRenderer, call: GenerateCall): Promise<ProviderOutcome> {
  const operation = call.providerOptions?.operation;
  const [sourceFile] = call.files ?? [];
  if (!sourceFile) return { state: 'failed', error: 'There is no image to edit.' };
  const source = await renderer.decode(sourceFile.bytes);
  const { width, height } = source;
  const mask = call.mask ? maskOf(await renderer.decode(call.mask.bytes), width, height) : null;
  const soft = (m: Uint8Array) => feather(m, width, height, Math.max(2, Math.round(Math.min(width, height) / 100)));
  const seed = call.seed ?? hash32(call.prompt);
  const paint = (components: StyleComponents) => paintScene({ width, height, seed, components });
  let result: Raster;
  switch (operation) {
    case 'erase':
      if (!mask) return { state: 'failed', error: 'Erase needs a mask of what to remove.' };
      result = inpaint(source, mask);
      break;
    case 'replace':
      if (!mask) return { state: 'failed', error: 'Replace needs a mask of what to change.' };
      result = composite(inpaint(source, mask), paint(promptComponents(call.prompt)), soft(mask));
      break;
    case 'recreate': {
      const own = extractComponents(await renderer.decode(sourceFile.bytes, MEASURE_SIDE));
      const scene = paint(own);
      if (mask) result = composite(source, scene, soft(mask));
      else result = composite(source, scene, new Float32Array(width * height).fill(0.65));
      break;
    }
    case 'instruct': {
      const graded = gradeByInstruction(source, call.prompt);
      if (!graded.applied.length) {
        return {
          state: 'failed',
          error: 'The offline renderer understands colour and light instructions (warmer, cooler, brighter, darker, more contrast, muted, black and white, sepia). Other instructions need a provider key.',
        };
      }
      result = graded.image;
      break;
    }
    default:
      return { state: 'failed', error: `The offline renderer cannot ${String(operation)}.` };
  }
  // One edit, encoded once (a band at a time, like the renderer's scenes), delivered n times.
  const bytes = await encodePngInBands(result, yieldToRequests);
  const images = Array.from({ length: call.n }, () => ({ bytes, contentType: 'image/png' }));
  return { state: 'succeeded', images, rejected: 0 };
}

export function offlineProvider(renderer: ImageRenderer): ImageProvider {
  return {
    id: 'offline',
    async submit(call) {
      if (call.endpoint === 'edit') return { mode: 'sync', outcome: await edit(renderer, call), warnings: [] };
      const components = await sceneComponents(renderer, call);
      const base = call.seed ?? hash32(call.prompt);
      const images = [];
      for (let i = 0; i < call.n; i++) {
        const rgba = await paintSceneInSlices({ width: call.size.width, height: call.size.height, seed: (base + i) >>> 0, components }, yieldToRequests);
        images.push({ bytes: await encodePngInBands({ width: call.size.width, height: call.size.height, rgba }, yieldToRequests), contentType: 'image/png' });
      }
      return { mode: 'sync', outcome: { state: 'succeeded', images, rejected: 0 }, warnings: [] };
    },
    async status() {
      return { state: 'failed', error: 'Offline renders finish when they are submitted.' };
    },
    async cancel() {},
  };
}

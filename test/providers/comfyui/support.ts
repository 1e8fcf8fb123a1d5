// The network edge for the edge-comfyui project: the Worker's fetches to the ComfyUI address
// its bindings name (COMFYUI_URL in vitest.config.ts) reach a local fake ComfyUI.
import { afterAll, beforeAll, vi } from 'vitest';
import { type ComfyFake, createComfyFake } from '../../fakes/comfyui';

export const COMFYUI_ORIGIN = 'http://comfyui.fake:8188';

export function useComfy(): () => ComfyFake {
  const comfy = createComfyFake({ origin: COMFYUI_ORIGIN });
  beforeAll(() => {
    const original = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      return new URL(request.url).origin === COMFYUI_ORIGIN ? comfy.handle(request) : original(request);
    });
  });
  afterAll(() => vi.unstubAllGlobals());
  return () => comfy;
}

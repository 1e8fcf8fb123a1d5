// A reference's style components, measured in the panel from its pixels with the same pure
// code the Worker uses (shared/style/components.ts): the thumbnail made at capture (or the
// server's, fetched with the token) decoded to at most 128 px, then extracted. Each image is
// measured once per panel.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { extractComponents, type Raster, type StyleComponents } from '../../../shared/style/components';
import type { Capture } from '../../lib/captures';
import { ApiError } from '../../lib/api-client';
import { api, messageOf, withToken } from '../api';
import { blobOfDataUrl, rasterOf } from './decode';

/** Where a reference's pixels come from: the capture's own thumbnail, else the server's (with the token). */
export type RasterSource = (capture: Capture) => Promise<Raster>;

export const browserRasters: RasterSource = async (capture) => {
  const blob = capture.thumb_data ? blobOfDataUrl(capture.thumb_data) : await withToken((token) => api.imageBlob(token, capture.thumb_url));
  return rasterOf(blob);
};

/** The panel measures with the browser; tests give rasters directly (happy-dom has no decoder). */
export const RasterSourceContext = createContext<RasterSource>(browserRasters);

export interface Measured {
  components: StyleComponents;
  /** Decode and extraction, in milliseconds. */
  ms: number;
}

export type Measurement = { state: 'measuring' } | { state: 'ready'; measured: Measured } | { state: 'failed'; error: string };

/** Decode and extract, timed. */
export async function measure(source: RasterSource, capture: Capture): Promise<Measured> {
  const started = performance.now();
  const raster = await source(capture);
  const components = extractComponents(raster);
  return { components, ms: performance.now() - started };
}

// One cache per source, per image id: a reference shown again (or in another card) is not measured again.
const caches = new WeakMap<RasterSource, Map<string, Promise<Measured>>>();
// One at a time: measured side by side, each would wait on the others' decoding and extraction
// (and the designer would wait as long for the first as for the last).
const queues = new WeakMap<RasterSource, Promise<unknown>>();

function cached(source: RasterSource, capture: Capture): Promise<Measured> {
  let cache = caches.get(source);
  if (!cache) caches.set(source, (cache = new Map()));
  let found = cache.get(capture.image_id);
  if (!found) {
    const queued = (queues.get(source) ?? Promise.resolve()).catch(() => undefined).then(() => measure(source, capture));
    queues.set(source, queued);
    found = queued;
    // A failure is not kept: the next time the reference shows, it is tried again.
    found.catch(() => cache.delete(capture.image_id));
    cache.set(capture.image_id, found);
  }
  return found;
}

/** Each reference's measurement by image id, filled in as each finishes. */
export function useMeasured(references: Capture[]): Record<string, Measurement> {
  const source = useContext(RasterSourceContext);
  const [measured, setMeasured] = useState<Record<string, Measurement>>({});
  const key = references.map((r) => r.image_id).join(' ');
  useEffect(() => {
    let alive = true;
    for (const capture of references) {
      cached(source, capture)
        .then((m) => alive && setMeasured((all) => ({ ...all, [capture.image_id]: { state: 'ready', measured: m } })))
        .catch(
          (error) =>
            alive &&
            setMeasured((all) => ({
              ...all,
              [capture.image_id]: { state: 'failed', error: error instanceof ApiError ? messageOf(error) : 'This image could not be read in the panel. It still goes with the generation.' },
            })),
        );
    }
    return () => {
      alive = false;
    };
  }, [key, source]);
  return Object.fromEntries(references.map((r) => [r.image_id, measured[r.image_id] ?? { state: 'measuring' }]));
}

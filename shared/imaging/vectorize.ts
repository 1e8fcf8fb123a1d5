// SVG export for the offline renderer: colours quantised to a small palette, then each
// colour's regions traced along their pixel boundaries into closed paths (holes by the
// even-odd rule). Real paths, not one rectangle per pixel. Pure.
import { extractPalette, fromHex, type Raster } from '../style/components';

/** Closed boundary loops of a mask, as lists of grid corner points, collinear points removed. */
export function traceRegions(mask: Uint8Array, width: number, height: number): [number, number][][] {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] === 1;
  const stride = width + 1;
  // Directed boundary edges keyed by their start corner (clockwise around filled pixels).
  const edges = new Map<number, number[]>();
  const add = (ax: number, ay: number, bx: number, by: number) => {
    const from = ay * stride + ax;
    const list = edges.get(from);
    const to = by * stride + bx;
    if (list) list.push(to);
    else edges.set(from, [to]);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!inside(x, y)) continue;
      if (!inside(x, y - 1)) add(x, y, x + 1, y);
      if (!inside(x + 1, y)) add(x + 1, y, x + 1, y + 1);
      if (!inside(x, y + 1)) add(x + 1, y + 1, x, y + 1);
      if (!inside(x - 1, y)) add(x, y + 1, x, y);
    }
  }
  const loops: [number, number][][] = [];
  for (const [start, targets] of edges) {
    while (targets.length) {
      const loop: number[] = [start];
      let at = targets.pop()!;
      while (at !== start) {
        loop.push(at);
        const next = edges.get(at);
        if (!next?.length) break;
        at = next.pop()!;
      }
      const points = loop.map((k) => [k % stride, Math.floor(k / stride)] as [number, number]);
      // Keep corners only: drop points in the middle of a straight run.
      const corners = points.filter((p, i) => {
        const a = points[(i - 1 + points.length) % points.length]!;
        const b = points[(i + 1) % points.length]!;
        return (p[0] - a[0]) * (b[1] - p[1]) !== (p[1] - a[1]) * (b[0] - p[0]);
      });
      if (corners.length >= 3) loops.push(corners);
    }
  }
  return loops;
}

export function vectorize(image: Raster, colours = 8): string {
  const { width, height, rgba } = image;
  const palette = extractPalette(image, colours).map((p) => ({ hex: p.hex, rgb: fromHex(p.hex) }));
  const labels = new Int16Array(width * height).fill(-1);
  for (let p = 0; p < width * height; p++) {
    if (rgba[p * 4 + 3]! < 128) continue;
    let best = 0;
    let bestD = Infinity;
    palette.forEach((c, k) => {
      const d = (rgba[p * 4]! - c.rgb[0]) ** 2 + (rgba[p * 4 + 1]! - c.rgb[1]) ** 2 + (rgba[p * 4 + 2]! - c.rgb[2]) ** 2;
      if (d < bestD) (bestD = d), (best = k);
    });
    labels[p] = best;
  }
  const paths = palette.map((colour, k) => {
    const mask = new Uint8Array(width * height);
    for (let p = 0; p < width * height; p++) mask[p] = labels[p] === k ? 1 : 0;
    const d = traceRegions(mask, width, height)
      .map((loop) => `M${loop.map(([x, y]) => `${x} ${y}`).join('L')}Z`)
      .join('');
    return d ? `<path fill="${colour.hex}" fill-rule="evenodd" d="${d}"/>` : '';
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" shape-rendering="crispEdges">${paths.join('')}</svg>`;
}

// Draws the extension's icon (the ◐ mark on the brand's violet) at the sizes the stores ask
// for, into public/icon/<size>.png where WXT puts them in the manifest. Run once
// after changing the mark: node scripts/draw-icons.ts
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const sizes = [16, 32, 48, 128];
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icon');

/** Drawn on a 128 grid; small sizes get a bolder ring so it still reads at 16 px. */
function mark(size: number): string {
  const ring = size <= 16 ? 16 : size <= 32 ? 12 : 10;
  const r = size <= 16 ? 36 : 34;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 128 128">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#7767ff"/><stop offset="1" stop-color="#4331e6"/></linearGradient></defs>
  <rect x="4" y="4" width="120" height="120" rx="30" fill="url(#g)"/>
  <circle cx="64" cy="64" r="${r}" fill="none" stroke="#fff" stroke-width="${ring}"/>
  <path d="M64 ${64 - r} A${r} ${r} 0 0 1 64 ${64 + r} Z" fill="#fff"/>
</svg>`;
}

mkdirSync(out, { recursive: true });
for (const size of sizes) {
  await sharp(Buffer.from(mark(size)), { density: 72 * 4 }).resize(size, size).png({ compressionLevel: 9 }).toFile(join(out, `${size}.png`));
  console.log(`icon/${size}.png`);
}

// The four components drawn small enough for a side panel: palette swatches sized by weight,
// the light as a dial with words and bars, the grade as three tinted greys and a saturation
// bar, and the composition as an overlay on the image. Each says in words what it shows.
import type { Capture } from '../../lib/captures';
import type { Composition, Grading, Lighting, PaletteColor } from '../../../shared/style/components';
import { useAuthedImage } from '../use-authed-image';
import { type Band, bandLabels, compositionWords, contrastWord, keyWord, lightWords, percent, tintColour, tintWord, warmthWord } from './words';

export function Palette({ palette, label }: { palette: PaletteColor[]; label: string }) {
  // Widths share the whole strip, whatever the weights add up to (a blend's kept colours may sum under 1).
  const total = palette.reduce((sum, c) => sum + c.weight, 0) || 1;
  return (
    <div class="swatches" role="group" aria-label={label}>
      {palette.map((c) => (
        <span key={c.hex} role="img" aria-label={`${c.hex}, ${percent(c.weight)}`} title={`${c.hex}, ${percent(c.weight)}`} style={{ background: c.hex, flexGrow: Math.max(c.weight / total, 0.02) }} />
      ))}
    </div>
  );
}

/** A bar 0..1 (or −1..1 centred, for warmth), beside the word that says the same. */
function Bar({ value, centred = false, warm = false }: { value: number; centred?: boolean; warm?: boolean }) {
  const at = centred ? (value + 1) / 2 : value;
  return (
    <span class={`bar${warm ? ' warmth' : ''}`} aria-hidden="true">
      {centred ? <span class="tick" style={{ left: `${Math.min(100, Math.max(0, at * 100))}%` }} /> : <span class="fill" style={{ width: `${Math.min(100, Math.max(0, at * 100))}%` }} />}
    </span>
  );
}

/** The key light as a dial: the dot is where the light sits in the frame, the arrow where it falls. */
export function LightDial({ lighting }: { lighting: Lighting }) {
  const x = 4 + lighting.direction.x * 28;
  const y = 4 + lighting.direction.y * 28;
  const dx = 18 - x;
  const dy = 18 - y;
  const length = Math.hypot(dx, dy) || 1;
  const tip = { x: 18 + (dx / length) * 6, y: 18 + (dy / length) * 6 };
  return (
    <svg class="dial" viewBox="0 0 36 36" width="36" height="36" role="img" aria-label={lightWords(lighting)}>
      <circle cx="18" cy="18" r="16" class="dial-face" />
      <line x1={x} y1={y} x2={tip.x} y2={tip.y} class="dial-ray" />
      <circle cx={tip.x} cy={tip.y} r="2" class="dial-tip" />
      <circle cx={x} cy={y} r="3.5" class="dial-sun" style={{ fill: lighting.warmth > 0.08 ? '#ffb347' : lighting.warmth < -0.08 ? '#8ec5ff' : '#fff4d6' }} />
    </svg>
  );
}

export function LightingView({ lighting }: { lighting: Lighting }) {
  return (
    <div class="lighting">
      <LightDial lighting={lighting} />
      <dl class="measures small">
        <dt>Light</dt>
        <dd>
          {lightWords(lighting).replace(/^Light /, '')}, {keyWord(lighting.key)}
        </dd>
        <dt>Contrast</dt>
        <dd>
          <Bar value={Math.min(1, lighting.contrast * 2.5)} /> {contrastWord(lighting.contrast)}
        </dd>
        <dt>Warmth</dt>
        <dd>
          <Bar value={lighting.warmth} centred warm /> {warmthWord(lighting.warmth)}
        </dd>
      </dl>
    </div>
  );
}

export function GradingView({ grading }: { grading: Grading }) {
  const bands: Band[] = ['shadows', 'midtones', 'highlights'];
  return (
    <div class="grading">
      <div class="tints">
        {bands.map((band) => {
          const colour = tintColour(band, grading[band]);
          return (
            <span key={band} class="tint">
              <span class="tint-swatch" role="img" aria-label={`${bandLabels[band]}: ${colour}, ${tintWord(grading[band])}`} title={`${bandLabels[band]}: ${colour}, ${tintWord(grading[band])}`} style={{ background: colour }} />
              <span class="small muted">{bandLabels[band]}</span>
            </span>
          );
        })}
      </div>
      <span class="small">
        Saturation <Bar value={grading.saturation} /> {percent(grading.saturation)}
      </span>
    </div>
  );
}

/** The reference's thumbnail: the one made at capture, else the server's. */
function useThumb(capture: Capture): string | null {
  const { url } = useAuthedImage(capture.thumb_data ? null : capture.thumb_url);
  return capture.thumb_data ?? url;
}

/**
 * The image with its composition over it: the thirds grid, the nearest thirds point ringed,
 * the subject (focus) as a dot, the visual balance as a diamond, the horizon dashed.
 */
export function CompositionOverlay({ capture, composition, n }: { capture: Capture; composition: Composition | null; n: number }) {
  const src = useThumb(capture);
  const aspect = capture.width > 0 && capture.height > 0 ? capture.height / capture.width : 1;
  const w = 100;
  const h = Math.round(100 * aspect);
  return (
    <figure class="framing" style={{ aspectRatio: `${w} / ${h}` }}>
      {src ? <img src={src} alt={capture.alt || `Reference ${n}`} /> : <span class="muted small">…</span>}
      {composition && (
        <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label={compositionWords(composition)}>
          {[w / 3, (2 * w) / 3].map((x) => (
            <line key={`v${x}`} x1={x} y1={0} x2={x} y2={h} class="thirds" />
          ))}
          {[h / 3, (2 * h) / 3].map((y) => (
            <line key={`h${y}`} x1={0} y1={y} x2={w} y2={y} class="thirds" />
          ))}
          <line x1={0} y1={composition.horizon * h} x2={w} y2={composition.horizon * h} class="horizon" />
          <circle cx={composition.thirds.x * w} cy={composition.thirds.y * h} r={7} class="thirds-point" />
          <path
            d={`M ${composition.balance.x * w} ${composition.balance.y * h - 4} l 4 4 l -4 4 l -4 -4 z`}
            class="balance"
          />
          <circle cx={composition.focus.x * w} cy={composition.focus.y * h} r={3} class="focus" />
        </svg>
      )}
    </figure>
  );
}

// The blend as it stands, redrawn on every weight move: its palette, light and grade, and a
// small scene painted from it by the same offline painter the API uses (96×64, about a
// millisecond; at most one paint per frame however fast the slider moves).
import { useEffect, useRef } from 'preact/hooks';
import type { StyleComponents } from '../../../shared/style/components';
import { paintScene } from '../../../shared/style/render';
import { GradingView, LightingView, Palette } from './ComponentViews';

export const PREVIEW = { width: 96, height: 64, seed: 7 } as const;

export function BlendPreview({ blend }: { blend: StyleComponents | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!blend) return;
    const frame = requestAnimationFrame(() => {
      const context = canvas.current?.getContext('2d');
      if (!context) return;
      const rgba = paintScene({ ...PREVIEW, components: blend });
      context.putImageData(new ImageData(new Uint8ClampedArray(rgba), PREVIEW.width, PREVIEW.height), 0, 0);
    });
    return () => cancelAnimationFrame(frame);
  }, [blend]);
  return (
    <section class="blend" aria-label="Blend preview" data-testid="blend-preview">
      <strong>Blend</strong>
      {blend ? (
        <div class="blend-body">
          <canvas ref={canvas} width={PREVIEW.width} height={PREVIEW.height} role="img" aria-label="A quick sketch painted from the blend" />
          <div class="agentic-facts">
            <Palette palette={blend.palette} label="Blended palette" />
            <LightingView lighting={blend.lighting} />
            <GradingView grading={blend.grading} />
          </div>
        </div>
      ) : (
        <p class="muted small">Nothing to blend yet: add references or pick a recipe.</p>
      )}
    </section>
  );
}

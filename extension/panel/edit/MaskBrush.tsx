// The mask brush: paint over the image (mouse, pen or touch, through Pointer Events) where
// the edit should happen. The strokes are data (mask.ts); the canvas only shows them.
import { useEffect, useRef } from 'preact/hooks';
import { canRedo, canUndo, clearMask, coverageEmpty, extendStroke, invertMask, type MaskPoint, type MaskState, paintStrokes, redo, renderCoverage, stampSegment, startStroke, undo } from './mask';

/** The overlay is drawn at this many pixels along the image's longest side (CSS scales it to the panel). */
const OVERLAY_SIDE = 640;

export const BRUSH_SIZES = { min: 1, max: 30, initial: 8 } as const;

export function overlaySize(width: number, height: number) {
  const scale = OVERLAY_SIDE / Math.max(width, height, 1);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

interface Props {
  /** The image painted over, ready for <img src> (null while it loads). */
  imageUrl: string | null;
  /** The source's own size: the overlay keeps its aspect ratio. */
  width: number;
  height: number;
  alt: string;
  state: MaskState;
  empty: boolean;
  /** Percent of the image's width. */
  size: number;
  mode: 'paint' | 'erase';
  onSize(size: number): void;
  onMode(mode: 'paint' | 'erase'): void;
  onChange(state: MaskState, empty: boolean): void;
}

export function MaskBrush({ imageUrl, width, height, alt, state, empty, size, mode, onSize, onMode, onChange }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { width: w, height: h } = overlaySize(width, height);
  // The painted pixels of `drawn` at overlay size, kept so a stroke adds only its newest segment.
  const coverage = useRef<Uint8Array>(new Uint8Array(0));
  const drawn = useRef<MaskState | null>(null);
  const drawing = useRef<number | null>(null);
  // The state as last handed out: pointer events arrive faster than renders.
  const latest = useRef(state);
  latest.current = state;

  const show = () => {
    const ctx = canvas.current?.getContext('2d');
    if (ctx) renderCoverage(coverage.current, latest.current.inverted, w, h, ctx);
  };

  // Anything not drawn here (undo, clear, a new image) is drawn from scratch.
  useEffect(() => {
    if (drawn.current === state && coverage.current.length === w * h) return;
    coverage.current = paintStrokes(state.strokes, w, h);
    drawn.current = state;
    show();
  }, [state, w, h]);

  function commit(next: MaskState) {
    coverage.current = paintStrokes(next.strokes, w, h);
    drawn.current = next;
    latest.current = next;
    show();
    onChange(next, coverageEmpty(coverage.current, next.inverted));
  }

  function pointOf(e: PointerEvent): MaskPoint {
    const box = canvas.current!.getBoundingClientRect();
    // A pen's pressure scales the brush (0.5, a light touch, is the size chosen); mouse and touch keep it.
    const w = e.pointerType === 'pen' && e.pressure > 0 ? 0.3 + 1.4 * e.pressure : 1;
    return { x: (e.clientX - box.left) / (box.width || 1), y: (e.clientY - box.top) / (box.height || 1), w };
  }

  function down(e: PointerEvent) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    canvas.current!.focus();
    try {
      canvas.current!.setPointerCapture?.(e.pointerId);
    } catch {
      // Capture is a nicety (strokes that leave the canvas keep going); painting works without it.
    }
    drawing.current = e.pointerId;
    const next = startStroke(latest.current, pointOf(e), size / 100, mode);
    const stroke = next.strokes.at(-1)!;
    stampSegment(coverage.current, w, h, stroke, stroke.points[0]!, stroke.points[0]!);
    drawn.current = next;
    latest.current = next;
    show();
    onChange(next, coverageEmpty(coverage.current, next.inverted));
  }

  function move(e: PointerEvent) {
    if (drawing.current !== e.pointerId) return;
    e.preventDefault();
    // Every sample the browser merged into this event, so quick strokes stay smooth.
    const events = e.getCoalescedEvents?.().length ? e.getCoalescedEvents() : [e];
    let next = latest.current;
    for (const sample of events) {
      const stroke = next.strokes.at(-1)!;
      const from = stroke.points.at(-1)!;
      next = extendStroke(next, pointOf(sample));
      stampSegment(coverage.current, w, h, stroke, from, next.strokes.at(-1)!.points.at(-1)!);
    }
    drawn.current = next;
    latest.current = next;
    show();
    onChange(next, coverageEmpty(coverage.current, next.inverted));
  }

  function up(e: PointerEvent) {
    if (drawing.current === e.pointerId) drawing.current = null;
  }

  function onKey(e: KeyboardEvent) {
    if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
    e.preventDefault();
    e.stopPropagation();
    const current = latest.current;
    if (e.shiftKey ? canRedo(current) : canUndo(current)) commit(e.shiftKey ? redo(current) : undo(current));
  }

  return (
    <div class="mask-brush" role="group" aria-label="Mask brush" onKeyDown={onKey}>
      <p class="muted small">
        Paint over the area to change. The brush needs a mouse, pen or touch; it cannot be used with the keyboard alone.
      </p>
      <div class="mask-stage" style={{ aspectRatio: `${w} / ${h}`, '--mask-aspect': `${w / h}` }}>
        {imageUrl ? <img src={imageUrl} alt={alt} width={width} height={height} draggable={false} /> : <span class="muted small">Loading the image…</span>}
        <canvas
          ref={canvas}
          width={w}
          height={h}
          tabIndex={-1}
          aria-label="Mask: paint here with a mouse, pen or touch"
          data-testid="mask-canvas"
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={up}
          onLostPointerCapture={up}
        />
      </div>
      <div class="mask-tools">
        <label class="mask-size">
          Brush size
          <input type="range" min={BRUSH_SIZES.min} max={BRUSH_SIZES.max} value={size} aria-valuetext={`${size}% of the image's width`} onInput={(e) => onSize(Number(e.currentTarget.value))} />
        </label>
        <div class="mask-modes" role="group" aria-label="Brush">
          <button type="button" class="secondary" aria-pressed={mode === 'paint'} onClick={() => onMode('paint')}>
            Paint
          </button>
          <button type="button" class="secondary" aria-pressed={mode === 'erase'} onClick={() => onMode('erase')}>
            Eraser
          </button>
        </div>
        <div class="mask-actions">
          <button type="button" class="secondary" disabled={!canUndo(state)} aria-keyshortcuts="Control+Z Meta+Z" onClick={() => commit(undo(latest.current))}>
            Undo
          </button>
          <button type="button" class="secondary" disabled={!canRedo(state)} aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z" onClick={() => commit(redo(latest.current))}>
            Redo
          </button>
          <button type="button" class="secondary" onClick={() => commit(invertMask(latest.current))}>
            Invert
          </button>
          <button type="button" class="secondary" disabled={!state.strokes.length && !state.inverted} onClick={() => commit(clearMask(latest.current))}>
            Clear
          </button>
        </div>
      </div>
      <p class="small" role="status" data-testid="mask-state">
        {empty ? 'Nothing painted yet.' : state.inverted ? 'Everything but the painted area will change.' : 'The painted area will change.'}
      </p>
    </div>
  );
}

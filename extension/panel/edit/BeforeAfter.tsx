// An edit's result beside the image it was made from: the "before" lies over the "after",
// cut at the slider, so dragging it (or the arrow keys) sweeps between the two.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useAuthedImage } from '../use-authed-image';

interface Props {
  /** The source image's id: its preview is the "before". */
  sourceImageId: string;
  width: number;
  height: number;
  /** The edited image, as shown large. */
  children: ComponentChildren;
}

export function BeforeAfter({ sourceImageId, width, height, children }: Props) {
  const [at, setAt] = useState(50);
  const { url, error } = useAuthedImage(`/v1/images/${encodeURIComponent(sourceImageId)}/preview`);
  return (
    <figure class="before-after" data-testid="before-after">
      <div class="before-after-stage" style={{ aspectRatio: `${width} / ${height}` }}>
        {children}
        {url && <img class="before" src={url} alt="The image before the edit" style={{ clipPath: `inset(0 ${100 - at}% 0 0)` }} />}
        {url && <span class="before-after-line" style={{ left: `${at}%` }} aria-hidden="true" />}
      </div>
      <label class="before-after-control">
        <span>Before / after</span>
        <input type="range" min={0} max={100} value={at} aria-valuetext={`${at}% before, ${100 - at}% after`} disabled={!url} onInput={(e) => setAt(Number(e.currentTarget.value))} />
      </label>
      <figcaption class="muted small">{url ? 'Left of the line: before the edit. Right: after.' : (error ?? 'Loading the image before the edit…')}</figcaption>
    </figure>
  );
}

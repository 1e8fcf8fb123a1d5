// Placeholder until this view lands in this same change.
import type { Go } from '../StudioPage';

export function StylesView(_props: { go?: Go; styleId?: string; modelId?: string; handle?: string }) {
  return <p class="muted">Coming in this change.</p>;
}

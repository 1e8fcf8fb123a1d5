// Cropping a visible-tab screenshot to an element: CSS pixels times the device pixel ratio,
// clamped to the shot.
import type { Rect } from './resolve';

export function cropBox(rect: Rect, dpr: number, shot: { width: number; height: number }): { x: number; y: number; width: number; height: number } | null {
  const x = Math.max(0, Math.round(rect.x * dpr));
  const y = Math.max(0, Math.round(rect.y * dpr));
  const right = Math.min(shot.width, Math.round((rect.x + rect.width) * dpr));
  const bottom = Math.min(shot.height, Math.round((rect.y + rect.height) * dpr));
  if (right - x < 1 || bottom - y < 1) return null;
  return { x, y, width: right - x, height: bottom - y };
}

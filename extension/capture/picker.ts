// The picker: shown in the page only after the designer chose a menu item on something the
// browser names no image for (a CSS background, an image under an overlay, a canvas, a page,
// link or frame). It outlines the image the resolver would take under the pointer and takes
// one click; Esc, or a click where there is no image, cancels.
import { resolveAtPoint } from './resolve';

export const PICKER_HINT = 'Click the image to use · Esc to cancel';

/** Where this frame's viewport sits in the top frame's (rects from the resolver are in the top frame's). */
function frameOffset(): { x: number; y: number } {
  let x = 0;
  let y = 0;
  let win: Window | null = window;
  while (win?.frameElement) {
    const frame = win.frameElement.getBoundingClientRect();
    x += frame.left;
    y += frame.top;
    win = win.parent === win ? null : win.parent;
  }
  return { x, y };
}

/** The picker now showing, if any: a second menu click replaces it (the first ends cancelled). */
let showing: (() => void) | null = null;

/** Where the designer clicked (in this frame's viewport), or null when they cancelled. */
export function pickImage(): Promise<{ x: number; y: number } | null> {
  showing?.();
  return new Promise((resolve) => {
    const overlay = document.createElement('div');
    overlay.setAttribute('data-exactly-picker', '');
    // Transparent and on top of everything: it takes the click, so the page's own links and
    // buttons never do; the resolver looks through it (it shows no image).
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;cursor:crosshair;background:transparent';
    const box = document.createElement('div');
    box.setAttribute('data-exactly-picker-box', '');
    // White inside, violet outside: visible on light and dark images alike.
    box.style.cssText = 'position:fixed;display:none;pointer-events:none;box-sizing:border-box;border:2px solid #fff;box-shadow:0 0 0 3px #5b4bff,0 0 0 4px rgba(0,0,0,.45),inset 0 0 0 1px rgba(0,0,0,.35);background:rgba(91,75,255,.10);border-radius:2px';
    const hint = document.createElement('div');
    hint.setAttribute('data-exactly-picker-hint', '');
    hint.setAttribute('role', 'status');
    hint.textContent = PICKER_HINT;
    hint.style.cssText = 'position:fixed;top:12px;left:50%;transform:translateX(-50%);pointer-events:none;background:#1d1b19;color:#fff;font:13px/1.3 system-ui,sans-serif;padding:6px 10px;border-radius:6px;white-space:nowrap;max-width:calc(100vw - 24px);overflow:hidden;text-overflow:ellipsis';
    overlay.append(box, hint);
    document.documentElement.append(overlay);

    const offset = frameOffset();
    const outline = (x: number, y: number) => {
      const found = resolveAtPoint(document, x, y);
      if (!found) {
        box.style.display = 'none';
        return false;
      }
      const r = found.rect;
      Object.assign(box.style, { display: 'block', left: `${r.x - offset.x}px`, top: `${r.y - offset.y}px`, width: `${r.width}px`, height: `${r.height}px` });
      return true;
    };

    let frame = 0;
    const onMove = (e: MouseEvent) => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => outline(e.clientX, e.clientY));
    };
    const onClick = (e: MouseEvent) => {
      e.preventDefault();
      e.stopPropagation();
      done(outline(e.clientX, e.clientY) ? { x: e.clientX, y: e.clientY } : null);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      done(null);
    };
    const done = (point: { x: number; y: number } | null) => {
      if (showing !== cancel) return;
      showing = null;
      cancelAnimationFrame(frame);
      overlay.remove();
      window.removeEventListener('keydown', onKey, true);
      // Let the page repaint without the outline before anything reads the screen.
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(point)));
    };
    const cancel = () => done(null);
    showing = cancel;
    overlay.addEventListener('mousemove', onMove);
    overlay.addEventListener('click', onClick);
    // The page's own handlers never see the press that picks.
    overlay.addEventListener('mousedown', (e) => e.stopPropagation());
    overlay.addEventListener('contextmenu', (e) => {
      e.preventDefault();
      done(null);
    });
    window.addEventListener('keydown', onKey, true);
  });
}

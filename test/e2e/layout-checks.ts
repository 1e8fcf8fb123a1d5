// What the layout tests check of the side panel, shared: nothing sticking out sideways, and
// screenshots of the whole panel into test-results/screenshots/ for a designer to judge.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

/** What sticks out: the page or any scroller wider than its box, any control past the panel's edges. */
export function overflow(panel: Page): Promise<string[]> {
  return panel.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Inside the panel a control must stay within its padding; in the detail view, within the window.
    const panel = document.querySelector('.panel')!;
    const inner = panel.getBoundingClientRect().right - parseFloat(getComputedStyle(panel).paddingRight);
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width) found.push(`the page is ${document.documentElement.scrollWidth} px wide in ${width}`);
    if (document.body.scrollWidth > document.body.clientWidth) found.push(`the body is ${document.body.scrollWidth} px wide in ${document.body.clientWidth}`);
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (!box.width || style.visibility === 'hidden') continue;
      if (/(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1) found.push(`${name(el)} scrolls sideways (${el.scrollWidth} in ${el.clientWidth})`);
      // A button whose words are cut (a tab squeezed to "Licen") fails as surely as one off-screen.
      if (el.matches('button') && el.scrollWidth > el.clientWidth + 1) found.push(`${name(el)} cuts its label (${el.scrollWidth} in ${el.clientWidth})`);
      const limit = el.closest('.lightbox') ? width : inner;
      if (el.matches('button, a, select, input, textarea, img, section, article, [role=tab], .badge') && (box.right > limit + 0.5 || box.left < -0.5)) found.push(`${name(el)} reaches ${Math.round(box.left)}–${Math.round(box.right)} of ${Math.round(limit)}`);
    }
    return found;
  });
}

/**
 * The whole page, or (for a dialog) the window. Tall pages are shot in a window as tall as
 * they are: Playwright's fullPage would lay out without the scrollbar yet cut the picture
 * to the width left beside it.
 */
export async function shot(panel: Page, file: string, fullPage = true) {
  const size = panel.viewportSize()!;
  if (fullPage) await panel.setViewportSize({ width: size.width, height: Math.max(size.height, await panel.evaluate(() => Math.ceil(document.querySelector('.panel')!.getBoundingClientRect().bottom + window.scrollY))) });
  await panel.waitForTimeout(200);
  await panel.screenshot({ path: `${shots}/${file}.png` });
  await panel.setViewportSize(size);
}

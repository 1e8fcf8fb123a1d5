// The context menu as a designer meets it: where its items appear, and what a click does when
// the browser names the image (it is taken at once) and when it does not (the picker in the
// page asks which image, takes one click, and Esc or a click on nothing cancels). The real
// capture script runs on a DOM page; the browser's edges are the capture page's stand-ins.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { onMenuClicked, PICK_CANCELLED } from '../../../extension/capture/handle-menu';
import { createMenus, imageMenus, pageMenus } from '../../../extension/capture/menus';
import { PICKER_HINT } from '../../../extension/capture/picker';
import { captureNotice, referencesTray } from '../../../extension/lib/captures';
import { createCapturePage, IMAGE, PAGE, placeAt } from './capture-page';

const USER = 'usr_1';
let page: ReturnType<typeof createCapturePage>;

beforeEach(() => {
  fakeBrowser.reset();
  page = createCapturePage();
});

const notice = async () => (await captureNotice.of(USER).getValue())?.message;
const picker = () => document.querySelector<HTMLElement>('[data-exactly-picker]');
const box = () => document.querySelector<HTMLElement>('[data-exactly-picker-box]')!;
const asked = (type: string) => page.edges.sendMessage.mock.calls.filter(([, message]) => (message as { type: string }).type === type);

/** A hero drawn as a CSS background under a transparent overlay, as shop pages have them; the page has no layout of its own, so the stack under the pointer is given. */
async function heroPage() {
  const tab = await page.open(`<h1>Shop</h1><a href="/product"><div id="hero" style="background-image:url('${IMAGE}');width:300px;height:200px" aria-label="Hero"></div><div id="shade"></div></a>`);
  const hero = document.getElementById('hero')!;
  const shade = document.getElementById('shade')!;
  placeAt(hero, { x: 40, y: 60, width: 300, height: 200 });
  // The picker's own layer is on top wherever it shows, as in a browser; the hero only inside its box.
  document.elementsFromPoint = (x: number, y: number) => {
    const onHero = x >= 40 && x <= 340 && y >= 60 && y <= 260;
    return [picker(), ...(onHero ? [shade, hero] : []), document.body, document.documentElement].filter((e): e is HTMLElement => !!e);
  };
  return tab;
}

async function pickerShown() {
  return vi.waitFor(() => {
    const shown = picker();
    if (!shown) throw new Error('the picker is not up yet');
    return shown;
  });
}

const run = (info: { menuItemId: string; srcUrl?: string; linkUrl?: string; mediaType?: string }, tab: { id: number; windowId: number }) =>
  onMenuClicked(page.deps, {})({ frameId: 0, pageUrl: PAGE, ...info }, tab);

describe('the context menu', () => {
  it('offers the image items wherever an image can be under the pointer, and the page items on any page or frame', async () => {
    const created: { id: string; title: string; contexts: string[] }[] = [];
    const removeAll = vi.fn(async () => undefined);
    await createMenus({ removeAll, create: (item) => created.push(item) });
    expect(removeAll).toHaveBeenCalledOnce();
    expect(created).toEqual([
      ...imageMenus.map(({ id, title }) => ({ id, title, contexts: ['image', 'video', 'page', 'frame', 'link', 'selection'] })),
      ...pageMenus.map(({ id, title }) => ({ id, title, contexts: ['page', 'frame'] })),
    ]);
    expect(created.map((m) => m.title)).toEqual(['Use as reference', 'Image to prompt', 'Add to Agentic references', 'Add to training set…', 'Pin as character', 'Pin as product', 'Collect images from this page…', 'Capture a region…']);
  });
});

describe('a click on an image the browser names', () => {
  it('takes that image at once: no picker', async () => {
    const tab = await page.open(`<img src="${IMAGE}" alt="A cat" width="64" height="48">`);
    const capture = await run({ menuItemId: 'reference', srcUrl: IMAGE, mediaType: 'image' }, tab);
    expect(asked('capture.pick')).toEqual([]);
    expect(picker()).toBeNull();
    expect(asked('capture.resolve').map(([, message]) => message)).toEqual([{ type: 'capture.resolve', payload: { srcUrl: IMAGE } }]);
    expect(capture).toMatchObject({ source_url: IMAGE, alt: 'A cat', status: 'ready' });
  });
});

describe('a click where the browser names no image', () => {
  it('shows the picker, which outlines the image under the pointer and takes the one clicked', async () => {
    const tab = await heroPage();
    const done = run({ menuItemId: 'reference', linkUrl: 'https://blog.example/product' }, tab);
    const layer = await pickerShown();
    expect(layer.querySelector('[role=status]')!.textContent).toBe(PICKER_HINT);
    expect(page.state.hostRequests).toEqual([]);

    layer.dispatchEvent(new MouseEvent('mousemove', { clientX: 100, clientY: 100, bubbles: true }));
    await vi.waitFor(() => expect(box().style.display).toBe('block'));
    expect([box().style.left, box().style.top, box().style.width, box().style.height]).toEqual(['40px', '60px', '300px', '200px']);
    layer.dispatchEvent(new MouseEvent('mousemove', { clientX: 600, clientY: 500, bubbles: true }));
    await vi.waitFor(() => expect(box().style.display).toBe('none'));

    const pageClicks = vi.fn();
    document.body.addEventListener('click', pageClicks);
    layer.dispatchEvent(new MouseEvent('click', { clientX: 120, clientY: 150, bubbles: true, cancelable: true }));
    const capture = await done;
    expect(pageClicks).not.toHaveBeenCalled(); // the link under it is not followed
    expect(picker()).toBeNull();
    expect(asked('capture.resolve').map(([, message]) => message)).toEqual([{ type: 'capture.resolve', payload: { x: 120, y: 150 } }]);
    expect(capture).toMatchObject({ menu: 'reference', source_url: IMAGE, alt: 'Hero', page_url: PAGE, status: 'ready' });
    expect(await referencesTray.of(USER).getValue()).toEqual([capture]);
    expect(await notice()).toBe('Added to your references.');
  });

  it('is cancelled by Esc: the notice says so, and nothing is fetched or uploaded', async () => {
    const tab = await heroPage();
    const done = run({ menuItemId: 'training' }, tab);
    await pickerShown();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(await done).toBeNull();
    expect(picker()).toBeNull();
    expect(await captureNotice.of(USER).getValue()).toMatchObject({ kind: 'ok', message: PICK_CANCELLED });
    expect(asked('capture.resolve')).toEqual([]);
    expect(page.state.hostRequests).toEqual([]);
    expect(page.state.uploads).toEqual([]);
    expect(await referencesTray.of(USER).getValue()).toEqual([]);
  });

  it('is cancelled by a click where there is no image', async () => {
    const tab = await heroPage();
    const done = run({ menuItemId: 'reference' }, tab);
    const layer = await pickerShown();
    layer.dispatchEvent(new MouseEvent('click', { clientX: 600, clientY: 500, bubbles: true, cancelable: true }));
    expect(await done).toBeNull();
    expect(await notice()).toBe(PICK_CANCELLED);
    expect(page.state.uploads).toEqual([]);
  });

  it('shows one picker at a time: a second menu click replaces the first, which ends cancelled', async () => {
    const tab = await heroPage();
    const first = run({ menuItemId: 'reference' }, tab);
    await pickerShown();
    const second = run({ menuItemId: 'agentic' }, tab);
    expect(await first).toBeNull();
    await vi.waitFor(() => expect(document.querySelectorAll('[data-exactly-picker]')).toHaveLength(1));
    picker()!.dispatchEvent(new MouseEvent('click', { clientX: 50, clientY: 70, bubbles: true, cancelable: true }));
    expect(await second).toMatchObject({ menu: 'agentic', source_url: IMAGE });
    expect(page.state.uploads).toHaveLength(1);
  });
});

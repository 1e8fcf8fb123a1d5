// What a menu click does, for the real menu and the test hook alike: find the image (the one
// the browser names, or the one the designer picks in the page), capture it, then put the
// result where the designer asked (a tray, the prompt bar, a new pin, the collection grid).
import { browser } from 'wxt/browser';
import { addReferences, addTraining, captureNotice, type CaptureNotice, collection, dropCapture, pendingPin, pendingPrompt, settleCapture, signInNeeded } from '../lib/captures';
import { ApiError, localProblem } from '../lib/api-client';
import { askPage, type Capture, type CaptureDeps, captureImage, captureRegion, collectPage, inject } from './flow';
import { isImageMenu } from './menus';
import { builtInModels } from '../../shared/catalog';
import { chooseForGenerate } from '../panel/generate/draft-store';

/** What the browser tells of a menu click (the fields of its OnClickData a capture uses), and the tab's ids. */
export interface MenuClick {
  menuItemId: string;
  tabId: number;
  windowId?: number;
  frameId?: number;
  /** The image's (or video's) source, when the click was on one. */
  srcUrl?: string;
  mediaType?: string;
  pageUrl?: string;
  linkUrl?: string;
}

/** The browser's OnClickData, as Chrome and Firefox both send it. */
export interface MenuInfo {
  menuItemId: string | number;
  frameId?: number;
  srcUrl?: string;
  mediaType?: string;
  pageUrl?: string;
  linkUrl?: string;
}

/** The capture's dependencies, and who is signed in: what a capture stores is theirs. */
export interface MenuDeps extends CaptureDeps {
  userId(): Promise<string | null>;
}

export const PICK_CANCELLED = 'Capture cancelled.';

/** Shows the picker in the frame that was right-clicked; the point the designer clicked, or null if they cancelled. */
async function pickInPage(tabId: number, frameId: number): Promise<{ x: number; y: number } | null> {
  const answer = await askPage(await inject(tabId, frameId), 'capture.pick', {});
  return answer.point;
}

const SIGN_IN_FIRST = 'Sign in to Exactly in the side panel first, then capture again.';

const noticeFor = (userId: string) => (kind: 'ok' | 'error', message: string, lasts?: CaptureNotice['while']) =>
  captureNotice.of(userId).setValue({ kind, message, at: new Date().toISOString(), ...(lasts ? { while: lasts } : {}) });

const toReferences = new Set(['reference', 'agentic', 'region']);

/** Tray captures show as soon as their bytes are in hand; the upload fills them in. */
async function showEarly(userId: string, capture: Capture): Promise<void> {
  if (toReferences.has(capture.menu)) await addReferences(userId, [capture]);
  else if (capture.menu === 'training') await addTraining(userId, [capture]);
}

async function deliver(userId: string, capture: Capture): Promise<void> {
  const notify = noticeFor(userId);
  switch (capture.menu) {
    case 'reference':
    case 'region':
      await addReferences(userId, [capture]);
      await settleCapture(userId, capture);
      return notify('ok', 'Added to your references.');
    case 'agentic': {
      await addReferences(userId, [capture]);
      await settleCapture(userId, capture);
      // The references are for Agentic: it becomes the Generate model (the prompt stays).
      const agentic = builtInModels.find((m) => m.kind === 'agentic');
      if (agentic) await chooseForGenerate(userId, agentic.id);
      return notify('ok', 'Added to your Agentic references.');
    }
    case 'training':
      await addTraining(userId, [capture]);
      await settleCapture(userId, capture);
      return notify('ok', 'Added to your training set. Describe it in the panel.');
    case 'image_to_prompt':
      await pendingPrompt.of(userId).setValue(capture);
      return notify('ok', 'Reading the image…', 'reading_prompt');
    case 'pin_character':
    case 'pin_product':
      await pendingPin.of(userId).setValue(capture);
      return notify('ok', 'Name your pin in the panel.', 'naming_pin');
  }
}

export async function handleMenuClick(base: MenuDeps, click: MenuClick): Promise<Capture | null> {
  // Who asked is fixed at the click: a sign-out or another account mid-upload does not move it.
  const userId = await base.userId();
  if (!userId) {
    await signInNeeded.setValue({ kind: 'error', message: SIGN_IN_FIRST, at: new Date().toISOString() });
    throw new ApiError(localProblem('unauthorized', SIGN_IN_FIRST, 401));
  }
  const notify = noticeFor(userId);
  let provisional: string | null = null;
  const deps: CaptureDeps = {
    ...base,
    onProvisional: async (capture) => {
      provisional = capture.id;
      await showEarly(userId, capture);
    },
  };
  try {
    if (click.menuItemId === 'collect') {
      const found = await collectPage(click.tabId);
      await collection.of(userId).setValue(found);
      await notify(found.optedOut ? 'error' : 'ok', found.optedOut ?? `Found ${found.images.length} images on this page.`);
      return null;
    }
    if (click.menuItemId === 'region') {
      const capture = await captureRegion(deps, click);
      if (capture) await deliver(userId, capture);
      return capture;
    }
    if (!isImageMenu(click.menuItemId)) return null;
    const menu = click.menuItemId;
    const frameId = click.frameId ?? 0;
    let where: { srcUrl: string } | { x: number; y: number };
    if (click.srcUrl) {
      where = { srcUrl: click.srcUrl };
    } else {
      // The browser names no image here: the designer shows which one with one click.
      const picked = await pickInPage(click.tabId, frameId);
      if (!picked) {
        await notify('ok', PICK_CANCELLED);
        return null;
      }
      where = picked;
    }
    const capture = await captureImage(deps, { tabId: click.tabId, windowId: click.windowId, frameId, menu, ...where });
    await deliver(userId, capture);
    return capture;
  } catch (error) {
    if (provisional) await dropCapture(userId, provisional);
    const message = error instanceof ApiError ? error.problem.detail : 'The image could not be captured. Reload the page and try again.';
    if (!(error instanceof ApiError)) console.error('capture failed', error);
    await notify('error', message);
    throw error;
  }
}

/** Chrome's side panel or Firefox's sidebar, whichever this browser has. */
export interface PanelOpeners {
  sidePanel?: { open(o: { windowId: number }): Promise<void> };
  sidebarAction?: { open(): Promise<void> };
}

/** Starts what the browser may refuse outside a user gesture (the test hook has none), without waiting or failing. */
function quietly(start: () => Promise<unknown> | undefined): void {
  try {
    start()?.catch(() => undefined);
  } catch {
    // refused at once: the capture goes on without it
  }
}

/** A menu click as the capture takes it: the browser's click data and the tab it came from. */
export function menuClickFrom(info: MenuInfo, tab: { id: number; windowId?: number }): MenuClick {
  const { menuItemId, frameId, srcUrl, mediaType, pageUrl, linkUrl } = info;
  return { menuItemId: String(menuItemId), tabId: tab.id, windowId: tab.windowId, frameId, srcUrl, mediaType, pageUrl, linkUrl };
}

/**
 * What a menu click runs, the real one and the browser tests' alike. Opening the panel and
 * asking for the image's host are only allowed inside the click's user gesture: both happen
 * before anything is awaited. Rejects with the failure the panel's notice already shows.
 */
export function runMenuClick(deps: MenuDeps, panels: PanelOpeners) {
  return (info: MenuInfo, tab?: { id?: number; windowId?: number }): Promise<Capture | null> => {
    if (!tab?.id) return Promise.resolve(null);
    const windowId = tab.windowId;
    if (windowId !== undefined) quietly(() => panels.sidePanel?.open({ windowId }));
    quietly(() => panels.sidebarAction?.open());
    const srcUrl = info.srcUrl;
    if (srcUrl && /^https?:/.test(srcUrl)) quietly(() => browser.permissions.request({ origins: [`${new URL(srcUrl).origin}/*`] }));
    return handleMenuClick(deps, menuClickFrom(info, { id: tab.id, windowId: tab.windowId }));
  };
}

/** The context menu's listener: failures end as the notice the panel shows. */
export function onMenuClicked(deps: MenuDeps, panels: PanelOpeners) {
  const run = runMenuClick(deps, panels);
  return (info: MenuInfo, tab?: { id?: number; windowId?: number }): Promise<Capture | null> => run(info, tab).catch(() => null);
}

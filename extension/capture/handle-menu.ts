// What a menu click does, for the real menu and the test hook alike: capture, then put the
// result where the designer asked (a tray, the prompt bar, a new pin, the collection grid).
import { browser } from 'wxt/browser';
import { addReferences, addTraining, captureNotice, type CaptureNotice, collection, dropCapture, pendingPin, pendingPrompt, settleCapture, signInNeeded } from '../lib/captures';
import { ApiError, localProblem } from '../lib/api-client';
import { type Capture, type CaptureDeps, captureImage, captureRegion, collectPage } from './flow';
import { isImageMenu } from './menus';
import { builtInModels } from '../../shared/catalog';
import { chooseForGenerate } from '../panel/generate/draft-store';

export interface MenuClick {
  menuItemId: string;
  tabId: number;
  windowId?: number;
  frameId?: number;
  srcUrl?: string;
  x?: number;
  y?: number;
}

/** The capture's dependencies, and who is signed in: what a capture stores is theirs. */
export interface MenuDeps extends CaptureDeps {
  userId(): Promise<string | null>;
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
    const capture =
      click.menuItemId === 'region'
        ? await captureRegion(deps, click)
        : isImageMenu(click.menuItemId)
          ? await captureImage(deps, { ...click, menu: click.menuItemId })
          : null;
    if (capture) await deliver(userId, capture);
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

/**
 * The context menu's listener. Opening the panel and asking for the image's host are only
 * allowed inside the click's user gesture: both happen before anything is awaited. Failures
 * end as the notice the panel shows.
 */
export function onMenuClicked(deps: MenuDeps, panels: PanelOpeners) {
  return (info: { menuItemId: string | number; frameId?: number; srcUrl?: string }, tab?: { id?: number; windowId?: number }): Promise<Capture | null> => {
    if (!tab?.id) return Promise.resolve(null);
    if (tab.windowId !== undefined) panels.sidePanel?.open({ windowId: tab.windowId }).catch(() => undefined);
    panels.sidebarAction?.open().catch(() => undefined);
    if (info.srcUrl && /^https?:/.test(info.srcUrl)) {
      browser.permissions.request({ origins: [`${new URL(info.srcUrl).origin}/*`] }).catch(() => false);
    }
    const click: MenuClick = { menuItemId: String(info.menuItemId), tabId: tab.id, windowId: tab.windowId, frameId: info.frameId, srcUrl: info.srcUrl };
    return handleMenuClick(deps, click).catch(() => null);
  };
}

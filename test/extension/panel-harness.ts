// The side panel under test: the fake browser, the background wired as in the real service
// worker, and a fake API at the edge. Each panel test file calls usePanel() once.
import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterEach, beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backgroundHandlers } from '../../extension/entrypoints/background/handlers';
import { createApiClient } from '../../extension/lib/api-client';
import { API_URL } from '../../extension/lib/config';
import { createListener } from '../../extension/lib/messaging';
import { createSession } from '../../extension/lib/session';
import { createFakeApi } from './fake-api';

export type FakeApi = ReturnType<typeof createFakeApi>;

/** Sets up a fresh panel world before each test; `world.fake` is that test's fake API. */
export function usePanel(setUp: () => void = () => {}): { fake: FakeApi } {
  const world = {} as { fake: FakeApi };
  beforeEach(() => {
    fakeBrowser.reset();
    world.fake = createFakeApi();
    vi.stubGlobal('fetch', world.fake.fetch);
    setUp();
    const session = createSession(createApiClient(API_URL, world.fake.fetch));
    // The fake browser's sender is empty, so this listener trusts it; the check is tested on its own.
    fakeBrowser.runtime.onMessage.addListener(createListener(backgroundHandlers(session, { captureUrls: async () => ({ captures: [], failed: [] }) }), () => true) as never);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });
  return world;
}

/** Signs in through the panel's own form, with the code the fake API mailed. */
export async function signInAs(fake: FakeApi, email = 'ada@example.test') {
  fireEvent.input(await screen.findByLabelText('Email'), { target: { value: email } });
  fireEvent.click(screen.getByRole('button', { name: 'Email me a code' }));
  fireEvent.input(await screen.findByLabelText('Code'), { target: { value: fake.code } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await screen.findByTestId('balance');
}

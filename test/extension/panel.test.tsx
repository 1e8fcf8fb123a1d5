// The side panel as a designer uses it: sign in with the emailed code, then see credits and models.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backgroundHandlers } from '../../extension/entrypoints/background/handlers';
import { createApiClient } from '../../extension/lib/api-client';
import { API_URL } from '../../extension/lib/config';
import { createListener } from '../../extension/lib/messaging';
import { createSession } from '../../extension/lib/session';
import { App } from '../../extension/panel/App';
import { createFakeApi } from './fake-api';

let fake: ReturnType<typeof createFakeApi>;

beforeEach(() => {
  fakeBrowser.reset();
  fake = createFakeApi();
  vi.stubGlobal('fetch', fake.fetch);
  // The background, wired as in the real service worker (the fake browser has one context).
  const session = createSession(createApiClient(API_URL, fake.fetch));
  // The fake browser's sender is empty, so this listener trusts it; the check is tested on its own.
  fakeBrowser.runtime.onMessage.addListener(createListener(backgroundHandlers(session), () => true) as never);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the side panel', () => {
  it('signs in with the emailed code and shows the credits and the models', async () => {
    render(<App />);
    fireEvent.input(await screen.findByTestId('email'), { target: { value: 'ada@example.test' } });
    fireEvent.click(screen.getByTestId('send-code'));
    expect(await screen.findByText(/sent a 6-digit code to ada@example.test/)).toBeTruthy();

    fireEvent.input(screen.getByTestId('code'), { target: { value: fake.code } });
    fireEvent.click(screen.getByTestId('sign-in'));

    expect((await screen.findByTestId('balance')).textContent).toBe('112');
    expect(screen.getByTestId('credit-detail').textContent).toBe('Balance 120 credits · 8 credits held by running work');
    expect(screen.getByTestId('user-email').textContent).toBe('ada@example.test');
    await waitFor(() => expect(screen.getByTestId('model-list').querySelectorAll('li')).toHaveLength(3));
    expect(screen.getByText('Exactly 1.0 Agentic')).toBeTruthy();
    expect(screen.getByText('4 credits per image')).toBeTruthy();
  });

  it('says what was wrong with the code, in words', async () => {
    render(<App />);
    fireEvent.input(await screen.findByTestId('email'), { target: { value: 'ada@example.test' } });
    fireEvent.click(screen.getByTestId('send-code'));
    fireEvent.input(await screen.findByTestId('code'), { target: { value: '999999' } });
    fireEvent.click(screen.getByTestId('sign-in'));
    expect((await screen.findByRole('alert')).textContent).toBe('That code is not right. 4 tries left.');
  });

  it('tells the designer when Exactly cannot be reached', async () => {
    fake.state.down = true;
    render(<App />);
    fireEvent.input(await screen.findByTestId('email'), { target: { value: 'ada@example.test' } });
    fireEvent.click(screen.getByTestId('send-code'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot be reached/);
  });

  it('goes back to sign-in when signing out', async () => {
    render(<App />);
    fireEvent.input(await screen.findByTestId('email'), { target: { value: 'ada@example.test' } });
    fireEvent.click(screen.getByTestId('send-code'));
    fireEvent.input(await screen.findByTestId('code'), { target: { value: fake.code } });
    fireEvent.click(screen.getByTestId('sign-in'));
    await screen.findByTestId('balance');
    fireEvent.click(screen.getByText('Sign out'));
    expect(await screen.findByTestId('email')).toBeTruthy();
    expect(await fakeBrowser.storage.local.get('refreshToken')).toEqual({});
  });
});

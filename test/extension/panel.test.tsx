// The side panel as a designer uses it: sign in with the emailed code, then see credits and models.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { builtInModels } from '../../shared/catalog';
import { App } from '../../extension/panel/App';
import { signInAs, usePanel } from './panel-harness';

const world = usePanel();

async function signedIn() {
  render(<App />);
  await signInAs(world.fake);
}

describe('the side panel', () => {
  it('signs in with the emailed code and shows the credits and the models', async () => {
    render(<App />);
    fireEvent.input(await screen.findByTestId('email'), { target: { value: 'ada@example.test' } });
    fireEvent.click(screen.getByTestId('send-code'));
    expect(await screen.findByText(/sent a 6-digit code to ada@example.test/)).toBeTruthy();

    fireEvent.input(screen.getByTestId('code'), { target: { value: world.fake.code } });
    fireEvent.click(screen.getByTestId('sign-in'));

    expect((await screen.findByTestId('balance')).textContent).toBe('112');
    expect(screen.getByTestId('credit-detail').textContent).toBe('Balance 120 credits · 8 credits held by running work');
    expect(screen.getByTestId('user-email').textContent).toBe('ada@example.test');
    fireEvent.click(await screen.findByTestId('tab-models'));
    await waitFor(() => expect(screen.getByTestId('model-list').querySelectorAll('li')).toHaveLength(builtInModels.length));
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
    world.fake.state.down = true;
    render(<App />);
    fireEvent.input(await screen.findByTestId('email'), { target: { value: 'ada@example.test' } });
    fireEvent.click(screen.getByTestId('send-code'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot be reached/);
  });

  it('goes back to sign-in when signing out', async () => {
    await signedIn();
    fireEvent.click(screen.getByText('Sign out'));
    expect(await screen.findByTestId('email')).toBeTruthy();
    expect(await fakeBrowser.storage.local.get('refreshToken')).toEqual({});
  });
});

describe('generating from the side panel', () => {
  it('shows the cost on the button, then the results as they arrive', async () => {
    await signedIn();
    fireEvent.change(await screen.findByTestId('model'), { target: { value: 'flux-schnell' } });
    fireEvent.change(screen.getByTestId('resolution'), { target: { value: 'hd' } });
    fireEvent.input(screen.getByTestId('batch'), { target: { value: '3' } });
    fireEvent.input(screen.getByTestId('prompt'), { target: { value: 'a lighthouse at dusk' } });
    await waitFor(() => expect(screen.getByTestId('generate').textContent).toBe('Generate · 6 credits'));
    expect(screen.getByTestId('quote').textContent).toBe('3 × 2 credits = 6 credits · 112 credits available');
    fireEvent.click(screen.getByTestId('generate'));
    await waitFor(() => expect(screen.getAllByTestId('result-image')).toHaveLength(3), { timeout: 4000 });
    expect(screen.getByTestId('status').textContent).toBe('Done');
    const sent = world.fake.state.calls.find((c) => c.path === '/v1/generations' && c.method === 'POST')!;
    expect(sent.body).toEqual({ model_id: 'flux-schnell', prompt: 'a lighthouse at dusk', batch: 3, resolution: 'hd', aspect_ratio: '1:1' });
    fireEvent.click(screen.getAllByTestId('result-image')[0]!.closest('button')!);
    expect(await screen.findByTestId('large-image')).toBeTruthy();
  });

  it('keeps Generate off and says why when the balance cannot cover it', async () => {
    world.fake.state.credits = { balance: 3, held: 0, available: 3 };
    await signedIn();
    fireEvent.change(await screen.findByTestId('model'), { target: { value: 'exactly-agentic' } });
    fireEvent.input(screen.getByTestId('prompt'), { target: { value: 'a harbour' } });
    await waitFor(() => expect(screen.getByTestId('generate').textContent).toBe('Generate · 16 credits'));
    expect((screen.getByTestId('generate') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toMatch(/needs 16 credits and you have 3 credits/);
  });

  it('offers only the chosen model’s sizes and aspect ratios', async () => {
    await signedIn();
    fireEvent.change(await screen.findByTestId('model'), { target: { value: 'flux-pro' } });
    const sizes = [...(screen.getByTestId('resolution') as HTMLSelectElement).options].map((o) => o.value);
    const ratios = [...(screen.getByTestId('aspect') as HTMLSelectElement).options].map((o) => o.value);
    expect(sizes).toEqual(['hd', '2k']);
    expect(ratios).toEqual(['1:1', '3:2', '2:3', '16:9', '9:16', '21:9']);
    await waitFor(() => expect(screen.getByTestId('quote').textContent).toBe('4 × 5 credits = 20 credits · 112 credits available'));
  });
});

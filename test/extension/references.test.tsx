// What goes with a generation is what the panel shows as going: the references tray says, per
// model, which references go and lets the designer turn each off; "Add to Agentic references"
// chooses Agentic; and Image-to-Prompt asks before it changes a prompt already written.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleMenuClick } from '../../extension/capture/handle-menu';
import { type Capture, captureNotice, pendingPrompt, referencesTray } from '../../extension/lib/captures';
import { App } from '../../extension/panel/App';
import { blankDraft, draft } from '../../extension/panel/generate/draft';
import { chooseForGenerate } from '../../extension/studio/library/generate-with';
import { createCapturePage, IMAGE } from './capture/capture-page';
import { signInAs, usePanel } from './panel-harness';

const ADA = 'usr_1';

function capture(id: string, overrides: Partial<Capture> = {}): Capture {
  return {
    id, menu: 'reference', image_id: `img_${id}`, source_url: `https://images.example/${id}.png`, page_url: 'https://blog.example/', page_title: 'Blog', alt: `Image ${id}`,
    width: 640, height: 480, sha256: 'ab'.repeat(32), thumb_url: `/v1/images/img_${id}/thumb`, thumb_data: 'data:image/png;base64,iVBORw0KGgo=', status: 'ready',
    captured_at: '2026-11-22T10:00:00.000Z', ...overrides,
  };
}

const chooseModel = (id: string) => fireEvent.change(screen.getByLabelText('Model'), { target: { value: id } });
const prompt = () => screen.getByLabelText('Prompt') as HTMLTextAreaElement;
const header = () => screen.getByTestId('references-count').textContent;
/** Each tray item: whether it is marked as going, and whether it says "not sent". */
const marks = () => screen.getAllByTestId('tray-item').map((li) => (li.dataset.goes === 'true' ? 'goes' : within(li).queryByText(/not sent/) ? 'not sent' : '?'));

async function generate(world: { fake: ReturnType<typeof usePanel>['fake'] }) {
  const before = world.fake.state.generations.size;
  await waitFor(() => expect((screen.getByTestId('generate') as HTMLButtonElement).disabled).toBe(false));
  fireEvent.click(screen.getByTestId('generate'));
  await waitFor(() => expect(world.fake.state.generations.size).toBe(before + 1));
  return world.fake.state.calls.filter((c) => c.method === 'POST' && c.path === '/v1/generations').at(-1)!.body;
}

describe('in the panel', () => {
  const world = usePanel();

  async function signedIn(tray: Capture[] = []) {
    render(<App />);
    await signInAs(world.fake);
    await screen.findByLabelText('Prompt');
    if (tray.length) await referencesTray.of(ADA).setValue(tray);
  }

  describe('the references tray', () => {
    it('says exactly what goes with an Agentic, a one-reference and a no-reference model', async () => {
      await signedIn([capture('a'), capture('b'), capture('c')]);
      chooseModel('exactly-agentic');
      await waitFor(() => expect(header()).toBe('3 of 10 go with Exactly 1.0 Agentic'));
      expect(marks()).toEqual(['goes', 'goes', 'goes']);
      expect(screen.getAllByRole('checkbox', { name: 'Use with Exactly 1.0 Agentic' })).toHaveLength(3);

      chooseModel('flux-pro');
      await waitFor(() => expect(header()).toBe('FLUX1.1 [pro] takes 1 reference: the first one checked goes'));
      expect(marks()).toEqual(['goes', 'not sent', 'not sent']);
      // Turning the first off lets the next one checked go.
      fireEvent.click(screen.getAllByRole('checkbox', { name: 'Use with FLUX1.1 [pro]' })[0]!);
      await waitFor(() => expect(marks()).toEqual(['not sent', 'goes', 'not sent']));

      chooseModel('flux-schnell');
      await waitFor(() => expect(header()).toBe('FLUX.1 [schnell] takes no references — they stay here for another model'));
      expect(marks()).toEqual(['not sent', 'not sent', 'not sent']);
      expect(screen.queryByRole('checkbox', { name: /^Use with/ })).toBeNull();
      // They stayed: back on Agentic, the one turned off is still off, the others go.
      chooseModel('exactly-agentic');
      await waitFor(() => expect(header()).toBe('2 of 10 go with Exactly 1.0 Agentic'));
      expect(marks()).toEqual(['not sent', 'goes', 'goes']);
    });

    it('sends only the references checked, in tray order, and none to a model that takes none', async () => {
      await signedIn([capture('a'), capture('b'), capture('c')]);
      chooseModel('exactly-agentic');
      fireEvent.input(prompt(), { target: { value: 'a quiet harbour' } });
      await waitFor(() => expect(header()).toBe('3 of 10 go with Exactly 1.0 Agentic'));
      fireEvent.click(screen.getAllByRole('checkbox', { name: 'Use with Exactly 1.0 Agentic' })[1]!);
      await waitFor(() => expect(header()).toBe('2 of 10 go with Exactly 1.0 Agentic'));
      expect((await generate(world)).reference_image_ids).toEqual(['img_a', 'img_c']);

      chooseModel('flux-pro');
      expect((await generate(world)).reference_image_ids).toEqual(['img_a']);
      chooseModel('flux-schnell');
      expect((await generate(world)).reference_image_ids).toBeUndefined();
    });

    it('marks a reference still uploading as going once it is in, and it cannot be turned off until then', async () => {
      await signedIn([capture('a'), capture('up', { status: 'uploading', image_id: '' })]);
      chooseModel('exactly-agentic');
      await waitFor(() => expect(header()).toBe('2 of 10 go with Exactly 1.0 Agentic'));
      const boxes = screen.getAllByRole('checkbox', { name: 'Use with Exactly 1.0 Agentic' }) as HTMLInputElement[];
      expect(boxes.map((b) => b.disabled)).toEqual([false, true]);
    });
  });

  describe('“Add to Agentic references” in the open panel', () => {
    it('switches the form to Agentic and keeps the prompt being written', async () => {
      await signedIn();
      chooseModel('flux-pro');
      fireEvent.input(prompt(), { target: { value: 'a red bicycle' } });
      // What the menu does to the draft (below, through the real menu handler).
      await chooseForGenerate(ADA, 'exactly-agentic');
      await waitFor(() => expect((screen.getByLabelText('Model') as HTMLSelectElement).value).toBe('exactly-agentic'));
      expect(prompt().value).toBe('a red bicycle');
      // The form's own writes are not mistaken for another's: typing goes on as typed.
      for (const more of [' ', 'a', 't', ' dawn']) fireEvent.input(prompt(), { target: { value: prompt().value + more } });
      await new Promise((r) => setTimeout(r, 50));
      expect(prompt().value).toBe('a red bicycle at dawn');
      expect((await draft.of(ADA).getValue())!.prompt).toBe('a red bicycle at dawn');
    });
  });

  describe('Image-to-Prompt', () => {
    async function described() {
      await pendingPrompt.of(ADA).setValue(capture('seen', { menu: 'image_to_prompt' }));
      return screen.findByRole('group', { name: 'Described from the image' });
    }

    it('fills an empty prompt at once, and says when it read only colour, light and framing', async () => {
      await signedIn();
      await pendingPrompt.of(ADA).setValue(capture('seen', { menu: 'image_to_prompt' }));
      await waitFor(() => expect(prompt().value).toBe('An image read from img_seen, in warm tones'));
      expect(screen.queryByRole('group', { name: 'Described from the image' })).toBeNull();
      expect(screen.getByText('Described from the image’s colour, light and framing only — it doesn’t name what’s in it.')).toBeTruthy();
      // Once the words are gone from the prompt, so is the note.
      fireEvent.input(prompt(), { target: { value: 'my own words' } });
      await waitFor(() => expect(screen.queryByText(/colour, light and framing only/)).toBeNull());
    });

    it('with a captioner, names no such limit', async () => {
      world.fake.state.promptSource = 'caption+pixels';
      await signedIn();
      await pendingPrompt.of(ADA).setValue(capture('seen', { menu: 'image_to_prompt' }));
      await waitFor(() => expect(prompt().value).toBe('An image read from img_seen, in warm tones'));
      expect(screen.queryByText(/colour, light and framing only/)).toBeNull();
    });

    it('asks before replacing a prompt already written: replace', async () => {
      await signedIn();
      fireEvent.input(prompt(), { target: { value: 'a lighthouse at dusk' } });
      const offer = await described();
      expect(prompt().value).toBe('a lighthouse at dusk');
      expect(within(offer).getByText(/An image read from img_seen, in warm tones/)).toBeTruthy();
      fireEvent.click(within(offer).getByRole('button', { name: 'Replace the prompt' }));
      await waitFor(() => expect(prompt().value).toBe('An image read from img_seen, in warm tones'));
      expect(screen.queryByRole('group', { name: 'Described from the image' })).toBeNull();
      expect(await pendingPrompt.of(ADA).getValue()).toBeNull();
    });

    it('asks before replacing a prompt already written: add to it', async () => {
      await signedIn();
      fireEvent.input(prompt(), { target: { value: 'a lighthouse at dusk' } });
      fireEvent.click(within(await described()).getByRole('button', { name: 'Add to it' }));
      await waitFor(() => expect(prompt().value).toBe('a lighthouse at dusk, An image read from img_seen, in warm tones'));
      expect(screen.getByText(/colour, light and framing only/)).toBeTruthy();
    });

    it('asks before replacing a prompt already written: keep mine', async () => {
      await signedIn();
      fireEvent.input(prompt(), { target: { value: 'a lighthouse at dusk' } });
      fireEvent.click(within(await described()).getByRole('button', { name: 'Keep mine' }));
      await waitFor(() => expect(screen.queryByRole('group', { name: 'Described from the image' })).toBeNull());
      expect(prompt().value).toBe('a lighthouse at dusk');
      expect(screen.queryByText(/colour, light and framing only/)).toBeNull();
      expect((await draft.of(ADA).getValue())!.prompt).toBe('a lighthouse at dusk');
    });
  });
});

describe('the “Add to Agentic references” menu', () => {
  let page: ReturnType<typeof createCapturePage>;
  beforeEach(() => {
    fakeBrowser.reset();
    page = createCapturePage();
  });
  afterEach(() => vi.unstubAllGlobals());
  const cat = `<img src="${IMAGE}" alt="A cat on a chair" width="64" height="48">`;

  it('adds the image to the references and makes Agentic the Generate model, keeping the prompt', async () => {
    await draft.of(ADA).setValue({ ...blankDraft, modelId: 'flux-pro', prompt: 'a cat in the style of', resolution: 'hd', aspectRatio: '1:1' });
    const tab = await page.open(cat);
    await handleMenuClick(page.deps, { menuItemId: 'agentic', tabId: tab.id, srcUrl: IMAGE });
    expect(await referencesTray.of(ADA).getValue()).toEqual([expect.objectContaining({ image_id: 'img_1', menu: 'agentic' })]);
    expect(await draft.of(ADA).getValue()).toMatchObject({ modelId: 'exactly-agentic', prompt: 'a cat in the style of' });
    expect((await captureNotice.of(ADA).getValue())?.message).toBe('Added to your Agentic references.');
  });

  it('while “Use as reference” keeps the model chosen', async () => {
    await draft.of(ADA).setValue({ ...blankDraft, modelId: 'flux-pro', prompt: 'a cat', resolution: 'hd', aspectRatio: '1:1' });
    const tab = await page.open(cat);
    await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: IMAGE });
    expect(await draft.of(ADA).getValue()).toMatchObject({ modelId: 'flux-pro', prompt: 'a cat' });
    expect((await captureNotice.of(ADA).getValue())?.message).toBe('Added to your references.');
  });
});

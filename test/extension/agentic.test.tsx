// Agentic references in the side panel as a designer uses them: each reference's measured
// components with a weight per component, the live blend, and recipes saved, chosen, exported,
// imported and deleted; against a fake API speaking the real wire format. happy-dom cannot
// decode images, so the tests hand the panel each reference's pixels (the real decoder is
// driven in Chromium by test/e2e/agentic.test.ts and test/bench/components.ts).
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RecipeFile } from '../../shared/api/recipes';
import { extractComponents, type Raster, type StyleComponents } from '../../shared/style/components';
import { backgroundHandlers } from '../../extension/entrypoints/background/handlers';
import { createApiClient } from '../../extension/lib/api-client';
import { type Capture, referencesTray } from '../../extension/lib/captures';
import { API_URL } from '../../extension/lib/config';
import { createListener } from '../../extension/lib/messaging';
import { createSession } from '../../extension/lib/session';
import { App } from '../../extension/panel/App';
import { blendOf } from '../../extension/panel/agentic/blend';
import { type RasterSource, RasterSourceContext } from '../../extension/panel/agentic/measure';
import { readRecipeFile } from '../../extension/panel/agentic/recipe-file';
import { createFakeRecipesApi, type FakeRecipesApi } from './fake-recipes-api';
import { signInAs } from './panel-harness';

let fake: FakeRecipesApi;
let measured: string[];

beforeEach(() => {
  fakeBrowser.reset();
  fake = createFakeRecipesApi();
  measured = [];
  vi.stubGlobal('fetch', fake.fetch);
  const session = createSession(createApiClient(API_URL, fake.fetch));
  fakeBrowser.runtime.onMessage.addListener(createListener(backgroundHandlers(session, { captureUrls: async () => ({ captures: [], failed: [] }) }), () => true) as never);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

type Rgb = [number, number, number];

/** A frame in two colours, split top and bottom at `split` (0..1 of the height); `sun` puts a white 8 px light in the top right corner. */
function twoTone(top: Rgb, bottom: Rgb, split = 0.5, sun = false, width = 64, height = 48): Raster {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = sun && x >= width - 8 && y < 8 ? [255, 255, 255] : y < height * split ? top : bottom;
      rgba.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { width, height, rgba };
}

// Three references, each its own two colours: a red dusk, a green field, a blue night with a light in its upper right.
const pixels: Record<string, Raster> = {
  img_a: twoTone([0xd0, 0x40, 0x30], [0x30, 0x18, 0x10], 0.6),
  img_b: twoTone([0x60, 0xc0, 0x50], [0x20, 0x50, 0x18], 0.75),
  img_c: twoTone([0x20, 0x30, 0x90], [0x08, 0x08, 0x20], 0.3, true),
};
const componentsOf = (id: string): StyleComponents => extractComponents(pixels[id]!);

/** The pixels each reference gives, counting what was measured. */
const rasters: RasterSource = async (capture) => {
  measured.push(capture.image_id);
  return pixels[capture.image_id]!;
};

function capture(id: string): Capture {
  return {
    id: `cap_${id}`, menu: 'agentic', image_id: id, source_url: `https://images.example/${id}.png`, page_url: 'https://blog.example/', page_title: 'Blog', alt: `Picture ${id}`,
    width: 64, height: 48, sha256: 'ab'.repeat(32), thumb_url: `/v1/images/${id}/thumb`, thumb_data: 'data:image/png;base64,iVBORw0KGgo=', status: 'ready',
    captured_at: '2026-11-22T10:00:00.000Z',
  };
}

/** Signed in, with these references in the tray and Exactly 1.0 Agentic chosen. */
async function agenticWith(ids: string[]) {
  await referencesTray.of('usr_1').setValue(ids.map(capture));
  render(
    <RasterSourceContext.Provider value={rasters}>
      <App />
    </RasterSourceContext.Provider>,
  );
  await signInAs(fake);
  fireEvent.change(await screen.findByLabelText('Model'), { target: { value: 'exactly-agentic' } });
  const agentic = await screen.findByRole('region', { name: 'Agentic components' });
  // The tray is read from storage; then every reference shows with its measured palette.
  await waitFor(() => expect(within(agentic).queryAllByRole('group', { name: /^Palette of reference/ })).toHaveLength(ids.length));
  return agentic;
}

const swatchNames = (group: HTMLElement) => within(group).getAllByRole('img').map((s) => s.getAttribute('aria-label'));
const blendedPalette = () => swatchNames(screen.getByRole('group', { name: 'Blended palette' }));
const posted = (path: string) => fake.state.calls.filter((c) => c.method === 'POST' && c.path === path);

async function generate(prompt = 'a harbour at dusk') {
  fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: prompt } });
  await waitFor(() => expect(screen.getByTestId('generate').textContent).toMatch(/^Generate · /));
  fireEvent.click(screen.getByTestId('generate'));
  await waitFor(() => expect(posted('/v1/generations')).toHaveLength(1));
  return posted('/v1/generations')[0]!.body;
}

function aRecipe(name: string, components: StyleComponents) {
  fake.recipes.push({ id: `rcp_${name.length}`, name, components, created_at: '2026-11-22T10:00:00.000Z', ownerId: 'usr_1' });
}

function chooseFile(text: string, name = 'recipe.json') {
  const input = screen.getByLabelText('Import a recipe') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'application/json' })] } });
}

describe('each Agentic reference', () => {
  it('shows a card per reference in the order they go, its palette named in colours and weights, and a weight slider per component', async () => {
    const agentic = await agenticWith(['img_a', 'img_b', 'img_c']);
    const cards = within(agentic).getAllByTestId('agentic-reference');
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual(['Reference 1', 'Reference 2', 'Reference 3']);
    // Measured from the reference's own pixels: the two colours of the first, by the share of the frame each takes.
    const palette = await within(cards[0]!).findByRole('group', { name: 'Palette of reference 1' });
    expect(swatchNames(palette)).toEqual(['#d04030, 60%', '#301810, 40%']);
    expect(swatchNames(within(cards[1]!).getByRole('group', { name: 'Palette of reference 2' }))).toEqual(['#60c050, 75%', '#205018, 25%']);
    for (const n of [1, 2, 3]) {
      for (const component of ['Composition', 'Lighting', 'Palette', 'Grading']) {
        const slider = screen.getByRole('slider', { name: `${component} weight for reference ${n}` }) as HTMLInputElement;
        expect([slider.min, slider.max, slider.step, slider.value]).toEqual(['0', '1', '0.05', '1']);
      }
    }
    // Light, grade and framing are said in words too.
    expect(within(cards[0]!).getByRole('img', { name: /^Light from / })).toBeTruthy();
    expect(within(cards[0]!).getByRole('img', { name: /^Shadows: #[0-9a-f]{6}, / })).toBeTruthy();
    expect(within(cards[2]!).getByRole('img', { name: /^Subject near the .* third, weight toward .*, horizon \d+% down$/ })).toBeTruthy();
    // Each image is measured once, however often the panel draws it.
    fireEvent.input(screen.getByRole('slider', { name: 'Lighting weight for reference 1' }), { target: { value: '0.5' } });
    expect(measured.sort()).toEqual(['img_a', 'img_b', 'img_c']);
    // The card says what Agentic costs.
    expect(within(agentic).getByText(/costs 4 credits per image/)).toBeTruthy();
  });

  it('collapses to its header, keeping its palette in sight, and opens again', async () => {
    const agentic = await agenticWith(['img_a', 'img_b']);
    await within(agentic).findByRole('group', { name: 'Palette of reference 2' });
    const toggle = within(agentic).getByRole('button', { name: /Reference 2/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('slider', { name: 'Palette weight for reference 2' })).toBeNull();
    expect(within(agentic).getByRole('group', { name: 'Palette of reference 2' })).toBeTruthy();
    fireEvent.click(toggle);
    expect(screen.getByRole('slider', { name: 'Palette weight for reference 2' })).toBeTruthy();
  });
});

describe('the weights', () => {
  it('turned down to 0 read "off" and go with the generation as style_components, only where they differ from full', async () => {
    await agenticWith(['img_a', 'img_b', 'img_c']);
    const slider = screen.getByRole('slider', { name: 'Palette weight for reference 2' });
    fireEvent.input(slider, { target: { value: '0' } });
    expect(slider.getAttribute('aria-valuetext')).toBe('off');
    fireEvent.input(screen.getByRole('slider', { name: 'Lighting weight for reference 3' }), { target: { value: '0.35' } });
    // Moved and put back to full: nothing to send for it.
    const grading = screen.getByRole('slider', { name: 'Grading weight for reference 1' });
    fireEvent.input(grading, { target: { value: '0.2' } });
    fireEvent.input(grading, { target: { value: '1' } });
    const body = await generate();
    expect(body.model_id).toBe('exactly-agentic');
    expect(body.reference_image_ids).toEqual(['img_a', 'img_b', 'img_c']);
    expect(body.style_components).toEqual({ img_b: { palette: 0 }, img_c: { lighting: 0.35 } });
    expect(body.recipe_id).toBeUndefined();
  });

  it('move the blend preview with them: reference 2 off drops its colours from the blended palette', async () => {
    await agenticWith(['img_a', 'img_b', 'img_c']);
    await screen.findByRole('group', { name: 'Blended palette' });
    await waitFor(() => expect(blendedPalette()).toHaveLength(6));
    const before = blendedPalette();
    expect(before.some((name) => name!.startsWith('#60c050'))).toBe(true);
    fireEvent.input(screen.getByRole('slider', { name: 'Palette weight for reference 2' }), { target: { value: '0' } });
    const after = blendedPalette();
    expect(after).not.toEqual(before);
    expect(after.some((name) => name!.startsWith('#60c050') || name!.startsWith('#205018'))).toBe(false);
    // The blended light follows the lighting weights: the night's light in its corner pulls the
    // blend's to the upper right; with the night's lighting off, the light is the other two's, above.
    const blend = screen.getByRole('region', { name: 'Blend preview' });
    const light = () => within(blend).getAllByRole('img').find((i) => i.getAttribute('aria-label')!.startsWith('Light from'))!.getAttribute('aria-label');
    expect(componentsOf('img_c').lighting.direction.x).toBeGreaterThan(0.85);
    expect(light()).toBe('Light from the upper right');
    fireEvent.input(screen.getByRole('slider', { name: 'Lighting weight for reference 3' }), { target: { value: '0' } });
    expect(light()).toBe('Light from above');
  });
});

describe('recipes', () => {
  it('save the blend as it stands, by name; a name already used is refused in words', async () => {
    await agenticWith(['img_a', 'img_b']);
    fireEvent.input(screen.getByRole('slider', { name: 'Grading weight for reference 2' }), { target: { value: '0' } });
    await screen.findByRole('group', { name: 'Blended palette' });
    fireEvent.input(screen.getByLabelText('Recipe name'), { target: { value: 'Warm dusk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save as recipe' }));
    expect(await within(screen.getByRole('region', { name: 'Recipes' })).findByRole('status')).toHaveProperty('textContent', expect.stringContaining('Saved “Warm dusk”'));
    const expected = blendOf(
      [
        { image_id: 'img_a', components: componentsOf('img_a') },
        { image_id: 'img_b', components: componentsOf('img_b') },
      ],
      { img_b: { grading: 0 } },
      null,
    );
    expect(posted('/v1/recipes')[0]!.body).toEqual({ name: 'Warm dusk', components: expected });
    // Saved, it is offered in the picker.
    await waitFor(() => expect(within(screen.getByLabelText('Recipe')).getAllByRole('option').map((o) => o.textContent)).toEqual(['None', 'Warm dusk']));

    fireEvent.input(screen.getByLabelText('Recipe name'), { target: { value: 'Warm dusk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save as recipe' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You already have a recipe called “Warm dusk”. Choose another name.');
    expect(fake.recipes).toHaveLength(1);
  });

  it('chosen, goes with the generation as recipe_id, with no references at all, and its values show in the blend', async () => {
    const dusk = componentsOf('img_a');
    aRecipe('Warm dusk', dusk);
    await agenticWith([]);
    expect(screen.getByText(/No references go yet/)).toBeTruthy();
    const picker = await screen.findByLabelText('Recipe');
    await waitFor(() => expect(within(picker).getAllByRole('option')).toHaveLength(2));
    fireEvent.change(picker, { target: { value: 'rcp_9' } });
    expect(await screen.findByRole('group', { name: 'Blended palette' })).toBeTruthy();
    expect(blendedPalette()).toEqual(['#d04030, 60%', '#301810, 40%']);
    const body = await generate();
    expect(body.recipe_id).toBe('rcp_9');
    expect(body.reference_image_ids).toBeUndefined();
    expect(body.style_components).toBeUndefined();
  });

  it('export as an Exactly recipe file that import reads back as it was', async () => {
    aRecipe('Warm dusk', componentsOf('img_a'));
    await agenticWith(['img_b']);
    await waitFor(() => expect(within(screen.getByLabelText('Recipe')).getAllByRole('option')).toHaveLength(2));
    fireEvent.change(screen.getByLabelText('Recipe'), { target: { value: 'rcp_9' } });
    const blobs: Blob[] = [];
    const links: HTMLAnchorElement[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => (blobs.push(blob as Blob), 'blob:recipe'));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      links.push(this);
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Export' }));
    expect(links.map((l) => [l.download, l.getAttribute('href')])).toEqual([['warm-dusk.exactly-recipe.json', 'blob:recipe']]);
    const text = await blobs[0]!.text();
    const file = RecipeFile.parse(JSON.parse(text));
    expect(file).toEqual({ format: 'exactly.recipe', version: 1, name: 'Warm dusk', components: componentsOf('img_a') });
    expect(readRecipeFile(text)).toEqual({ file });

    // Imported under another name, it is saved and chosen.
    chooseFile(JSON.stringify({ ...file, name: 'Warm dusk, again' }));
    expect((await within(screen.getByRole('region', { name: 'Recipes' })).findByRole('status')).textContent).toBe('Imported “Warm dusk, again” and chose it.');
    expect(posted('/v1/recipes').map((c) => c.body)).toEqual([{ name: 'Warm dusk, again', components: file.components }]);
    await waitFor(() => expect((screen.getByLabelText('Recipe') as HTMLSelectElement).selectedOptions[0]!.textContent).toBe('Warm dusk, again'));
  });

  it('import refuses, in words, a file that is not a recipe, one from a newer release, a damaged one and a huge one, saving nothing', async () => {
    await agenticWith(['img_a']);
    const alert = async (text: string) => {
      await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(text));
    };
    chooseFile('{"hello": "world"}');
    await alert("This file isn't an Exactly recipe. Choose a recipe file exported from Exactly (it ends in .exactly-recipe.json).");
    chooseFile('not json at all');
    await alert("This file isn't an Exactly recipe. Choose a recipe file exported from Exactly (it ends in .exactly-recipe.json).");
    const good = { format: 'exactly.recipe', version: 1, name: 'Night', components: componentsOf('img_c') };
    chooseFile(JSON.stringify({ ...good, version: 2 }));
    await alert('This recipe was saved by a newer version of Exactly. Update the extension, then import it again.');
    chooseFile(JSON.stringify({ ...good, components: { ...good.components, palette: [{ hex: 'red', weight: 1 }] } }));
    await alert('This recipe file is damaged (its components › palette › 0 › hex is not right), so it was not imported.');
    chooseFile(JSON.stringify({ ...good, name: 'x'.repeat(300_000) }));
    await alert('This file is too large to be a recipe. Choose a recipe file exported from Exactly.');
    expect(posted('/v1/recipes')).toEqual([]);
  });

  it('delete the chosen recipe, and the form stops sending it', async () => {
    aRecipe('Warm dusk', componentsOf('img_a'));
    await agenticWith(['img_a']);
    await waitFor(() => expect(within(screen.getByLabelText('Recipe')).getAllByRole('option')).toHaveLength(2));
    fireEvent.change(screen.getByLabelText('Recipe'), { target: { value: 'rcp_9' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    expect((await within(screen.getByRole('region', { name: 'Recipes' })).findByRole('status')).textContent).toBe('Deleted “Warm dusk”.');
    expect(fake.state.calls.some((c) => c.method === 'DELETE' && c.path === '/v1/recipes/rcp_9')).toBe(true);
    await waitFor(() => expect(within(screen.getByLabelText('Recipe')).getAllByRole('option').map((o) => o.textContent)).toEqual(['None']));
    const body = await generate();
    expect(body.recipe_id).toBeUndefined();
  });
});

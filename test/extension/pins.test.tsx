// Pins as a designer meets them in the panel: naming one with the image in view and its kind
// chosen, managing them (rename, more images up to 10, one taken out, delete), and switching
// them on in the Generate form, where only the kinds the model takes are offered and the
// generation carries them.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { type Capture, pendingPin, referencesTray } from '../../extension/lib/captures';
import { App } from '../../extension/panel/App';
import { PIN_IMAGES_MAX } from '../../extension/panel/pins/words';
import { UpdatePinBody } from '../../shared/api/pins';
import { signInAs, usePanel } from './panel-harness';

const world = usePanel();
const ADA = 'usr_1';

function capture(id: string, overrides: Partial<Capture> = {}): Capture {
  return {
    id, menu: 'reference', image_id: `img_${id}`, source_url: `https://images.example/${id}.png`, page_url: 'https://blog.example/', page_title: 'Blog', alt: `Image ${id}`,
    width: 640, height: 480, sha256: 'ab'.repeat(32), thumb_url: `/v1/images/img_${id}/thumb`, thumb_data: `data:image/png;base64,${id}`, status: 'ready',
    captured_at: '2026-11-22T10:00:00.000Z', ...overrides,
  };
}

/** A pin of ada's, as the API holds it. */
function seedPin(id: string, name: string, kind: 'character' | 'product', imageIds: string[]) {
  const at = '2026-11-22T10:00:00.000Z';
  world.fake.state.pins.push({ ownerId: ADA, pin: { id, kind, name, image_ids: imageIds, created_at: at, updated_at: at } });
}

async function signedIn() {
  render(<App />);
  await signInAs(world.fake);
  await screen.findByLabelText('Prompt');
}

const chooseModel = (id: string) => fireEvent.change(screen.getByLabelText('Model'), { target: { value: id } });

async function openManager() {
  fireEvent.click(await screen.findByRole('button', { name: 'Show pins' }));
  return screen.getByRole('region', { name: 'Pins' });
}

const pinCard = (name: RegExp) => screen.getByRole('listitem', { name });

describe('naming a new pin', () => {
  it('shows the captured image, lets the kind be switched, and creates the pin with that kind', async () => {
    await signedIn();
    await pendingPin.of(ADA).setValue(capture('cap1', { menu: 'pin_character', alt: 'A woman in a red coat' }));
    const form = await screen.findByRole('form', { name: 'New pin' });
    const image = within(form).getByRole('img', { name: 'A woman in a red coat' }) as HTMLImageElement;
    expect(image.src).toBe('data:image/png;base64,cap1');
    expect((within(form).getByRole('radio', { name: 'Character' }) as HTMLInputElement).checked).toBe(true);

    fireEvent.click(within(form).getByRole('radio', { name: 'Product' }));
    expect(within(form).getByText('New product pin')).toBeTruthy();
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Red coat' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Pin it' }));

    expect(await screen.findByText('Pinned “Red coat” as a product.')).toBeTruthy();
    expect(world.fake.state.calls.find((c) => c.method === 'POST' && c.path === '/v1/pins')!.body).toEqual({ kind: 'product', name: 'Red coat', image_ids: ['img_cap1'] });
    expect(await pendingPin.of(ADA).getValue()).toBeNull();
    // The new pin reaches the Generate form's list without a reload of the panel.
    chooseModel('exactly-agentic');
    expect(await screen.findByRole('checkbox', { name: /Red coat/ })).toBeTruthy();
  });

  it('shows the server’s thumbnail when the capture has none made in the page', async () => {
    await signedIn();
    await pendingPin.of(ADA).setValue(capture('cap2', { menu: 'pin_product', thumb_data: null }));
    const form = await screen.findByRole('form', { name: 'New pin' });
    await waitFor(() => expect((within(form).getByTestId('new-pin-image') as HTMLImageElement).src).toMatch(/^blob:/));
    expect((within(form).getByRole('radio', { name: 'Product' }) as HTMLInputElement).checked).toBe(true);
  });

  it('keeps the capture and the name typed when the API refuses', async () => {
    await signedIn();
    await pendingPin.of(ADA).setValue(capture('cap3', { menu: 'pin_character' }));
    const form = await screen.findByRole('form', { name: 'New pin' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Ada' } });
    world.fake.state.down = true;
    fireEvent.click(within(form).getByRole('button', { name: 'Pin it' }));
    expect(await within(form).findByRole('alert')).toBeTruthy();
    expect((within(form).getByLabelText('Name') as HTMLInputElement).value).toBe('Ada');
    expect(await pendingPin.of(ADA).getValue()).not.toBeNull();
  });
});

describe('the pins manager', () => {
  it('lists each pin with its images, kind and name, and renames one in place', async () => {
    seedPin('pin_a', 'Ada', 'character', ['img_a1', 'img_a2']);
    seedPin('pin_b', 'Blue mug', 'product', ['img_b1']);
    await signedIn();
    const manager = await openManager();
    expect(within(manager).getAllByRole('listitem', { name: /pin$/ }).map((li) => li.getAttribute('aria-label'))).toEqual(['Ada, character pin', 'Blue mug, product pin']);
    const ada = pinCard(/^Ada,/);
    await waitFor(() => expect(within(ada).getAllByTestId('pin-thumb').map((i) => (i as HTMLImageElement).alt)).toEqual(['Ada, image 1', 'Ada, image 2']));
    expect(within(ada).getByText('Character')).toBeTruthy();

    fireEvent.click(within(ada).getByRole('button', { name: 'Rename' }));
    fireEvent.input(within(ada).getByRole('textbox', { name: 'New name for Ada' }), { target: { value: 'Ada, side view' } });
    fireEvent.click(within(ada).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('listitem', { name: 'Ada, side view, character pin' })).toBeTruthy());
    expect(world.fake.state.calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: '/v1/pins/pin_a', body: { name: 'Ada, side view' } });
  });

  it('adds an image from the references tray, and takes one out but never the last', async () => {
    seedPin('pin_a', 'Ada', 'character', ['img_a1']);
    await signedIn();
    await referencesTray.of(ADA).setValue([capture('r1', { alt: 'Ada in profile' }), capture('r2', { status: 'uploading', image_id: '' })]);
    await openManager();
    const ada = pinCard(/^Ada,/);
    // One image: nothing to take out.
    expect(within(ada).queryByRole('button', { name: /^Remove image/ })).toBeNull();
    fireEvent.click(within(ada).getByRole('button', { name: 'Add images' }));
    const adding = within(ada).getByRole('group', { name: 'Add images to Ada' });
    // Only what has finished uploading can be pinned.
    await within(adding).findByRole('button', { name: 'Add Ada in profile to Ada' });
    expect(within(adding).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Add Ada in profile to Ada']);
    fireEvent.click(within(adding).getByRole('button', { name: 'Add Ada in profile to Ada' }));
    await waitFor(() => expect(within(pinCard(/^Ada,/)).getByText(/^2 of 10 images/)).toBeTruthy());
    expect(world.fake.state.pins[0]!.pin.image_ids).toEqual(['img_a1', 'img_r1']);
    // Already in the pin: no longer offered.
    expect(within(pinCard(/^Ada,/)).queryByRole('button', { name: 'Add Ada in profile to Ada' })).toBeNull();

    fireEvent.click(within(pinCard(/^Ada,/)).getByRole('button', { name: 'Remove image 1 from Ada' }));
    await waitFor(() => expect(world.fake.state.pins[0]!.pin.image_ids).toEqual(['img_r1']));
    await waitFor(() => expect(within(pinCard(/^Ada,/)).queryByRole('button', { name: /^Remove image/ })).toBeNull());
  });

  it('refuses an 11th image in words, and sends nothing', async () => {
    seedPin('pin_full', 'Ada', 'character', Array.from({ length: 10 }, (_, i) => `img_f${i}`));
    await signedIn();
    await referencesTray.of(ADA).setValue([capture('r11', { alt: 'One more' })]);
    await openManager();
    const ada = pinCard(/^Ada,/);
    fireEvent.click(within(ada).getByRole('button', { name: 'Add images' }));
    expect(within(ada).getByText('Ada holds 10 images, the most a pin can. Remove one to add another.')).toBeTruthy();
    const eleventh = (await within(ada).findByRole('button', { name: 'Add One more to Ada' })) as HTMLButtonElement;
    expect(eleventh.disabled).toBe(true);
    fireEvent.click(eleventh);
    expect(world.fake.state.calls.some((c) => c.method === 'PATCH')).toBe(false);
    // The panel's limit is the API's.
    expect(UpdatePinBody.safeParse({ image_ids: Array.from({ length: PIN_IMAGES_MAX }, (_, i) => `i${i}`) }).success).toBe(true);
    expect(UpdatePinBody.safeParse({ image_ids: Array.from({ length: PIN_IMAGES_MAX + 1 }, (_, i) => `i${i}`) }).success).toBe(false);
  });

  it('deletes a pin only after the confirm step, and the form lets go of it', async () => {
    seedPin('pin_a', 'Ada', 'character', ['img_a1']);
    seedPin('pin_b', 'Blue mug', 'product', ['img_b1']);
    await signedIn();
    chooseModel('exactly-agentic');
    fireEvent.click(await screen.findByRole('checkbox', { name: /Ada/ }));
    await waitFor(() => expect(screen.getByTestId('pins-on').textContent).toBe('· 1 pin on'));

    await openManager();
    fireEvent.click(within(pinCard(/^Ada,/)).getByRole('button', { name: 'Delete' }));
    const confirm = within(pinCard(/^Ada,/)).getByRole('group', { name: 'Delete Ada?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Keep it' }));
    expect(world.fake.state.pins).toHaveLength(2);
    fireEvent.click(within(pinCard(/^Ada,/)).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(pinCard(/^Ada,/)).getByRole('button', { name: 'Delete pin' }));

    await waitFor(() => expect(screen.queryByRole('listitem', { name: /^Ada,/ })).toBeNull());
    expect(world.fake.state.pins.map((p) => p.pin.name)).toEqual(['Blue mug']);
    expect(screen.queryByRole('checkbox', { name: /Ada/ })).toBeNull();
    expect(screen.getByTestId('pins-on').textContent).toBe('· No pins on');
    fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: 'a portrait' } });
    await waitFor(() => expect((screen.getByTestId('generate') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('generate'));
    await waitFor(() => expect(world.fake.state.generations.size).toBe(1));
    expect(world.fake.state.calls.find((c) => c.method === 'POST' && c.path === '/v1/generations')!.body.pin_ids).toBeUndefined();
  });
});

describe('pins in the Generate form', () => {
  it('offers only the kinds the model takes, says how many are on, and the generation carries them', async () => {
    seedPin('pin_a', 'Ada', 'character', ['img_a1']);
    seedPin('pin_b', 'Blue mug', 'product', ['img_b1']);
    await signedIn();
    chooseModel('flux-schnell');
    expect(await screen.findByText('FLUX.1 [schnell] takes no pins — yours stay for a model that does.')).toBeTruthy();
    expect(screen.queryByRole('checkbox', { name: /Ada|Blue mug/ })).toBeNull();

    chooseModel('exactly-agentic');
    const picker = await screen.findByRole('group', { name: /^Pins/ });
    expect(within(picker).getAllByRole('checkbox').map((c) => c.closest('label')!.textContent)).toEqual(['AdaCharacter', 'Blue mugProduct']);
    expect(within(picker).getByTestId('pins-on').textContent).toBe('· No pins on');
    fireEvent.click(within(picker).getByRole('checkbox', { name: /Ada/ }));
    fireEvent.click(within(picker).getByRole('checkbox', { name: /Blue mug/ }));
    await waitFor(() => expect(within(picker).getByTestId('pins-on').textContent).toBe('· 2 pins on'));
    fireEvent.click(within(picker).getByRole('checkbox', { name: /Blue mug/ }));
    await waitFor(() => expect(within(picker).getByTestId('pins-on').textContent).toBe('· 1 pin on'));

    fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: 'Ada on a bicycle' } });
    await waitFor(() => expect(screen.getByTestId('generate').textContent).toMatch(/^Generate · /));
    fireEvent.click(screen.getByTestId('generate'));
    await waitFor(() => expect(world.fake.state.generations.size).toBe(1));
    const sent = world.fake.state.calls.filter((c) => c.method === 'POST' && c.path === '/v1/generations');
    expect(sent.map((c) => c.body.pin_ids)).toEqual([['pin_a']]);
    // The quote asked for is the one for what goes, pins included.
    expect(world.fake.state.calls.filter((c) => c.path === '/v1/quotes').at(-1)!.body.pin_ids).toEqual(['pin_a']);

    // A switched-on pin does not ride along with a model that takes none.
    chooseModel('flux-schnell');
    await waitFor(() => expect(screen.getByTestId('generate').textContent).toMatch(/^Generate · /));
    fireEvent.click(screen.getByTestId('generate'));
    await waitFor(() => expect(world.fake.state.generations.size).toBe(2));
    expect(world.fake.state.calls.filter((c) => c.method === 'POST' && c.path === '/v1/generations').at(-1)!.body.pin_ids).toBeUndefined();
  });

  it('says nothing about pins to a designer who has none, with a model that takes none', async () => {
    await signedIn();
    chooseModel('flux-schnell');
    await waitFor(() => expect(screen.getByTestId('generate').textContent).toMatch(/^Generate · /));
    expect(screen.queryByText(/pins?/i)).toBeNull();
  });
});

// The creator's way through the studio page, against the Styles API's wire format: the tray
// becomes a training set (refusals in the server's words), Train waits until the set is ready
// and affordable, training progress arrives live, the quiz passes or offers a free retrain, the
// publish form, moderation's answer, verification; and the side panel's way into all of it.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Style } from '../../shared/api/styles';
import { type TrainingItem, trainingTray } from '../../extension/lib/captures';
import { send } from '../../extension/lib/messaging';
import { App } from '../../extension/panel/App';
import { StudioPage } from '../../extension/studio/StudioPage';
import { trainingDraft } from '../../extension/studio/training/draft';
import { createPng } from '../fakes/png';
import { createFakeStylesApi, type FakeStylesApi, hashOf } from './fake-styles-api';
import { FakeSocket } from './fake-websocket';
import { signInAs, usePanel } from './panel-harness';

let fake: FakeStylesApi;
const world = usePanel(() => {
  fake = createFakeStylesApi();
  world.fake = fake;
  vi.stubGlobal('fetch', fake.fetch);
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});

const USER = 'usr_1';
const at = () => new Date().toISOString();

/** A captured training image the server knows, `side` px square unless told. */
function image(id: string, description: string, size: { width?: number; height?: number; hash?: string; locked?: boolean } = {}): TrainingItem {
  const width = size.width ?? 1024;
  const height = size.height ?? 1024;
  fake.styles.images.set(id, { width, height, sha256: `sha-${id}`, hash: size.hash ?? hashOf(id), locked: size.locked });
  return {
    id: `cap_${id}`, menu: 'training', image_id: id, source_url: `https://example.test/${id}.jpg`, page_url: 'https://example.test/', page_title: 'Harbours',
    alt: '', width, height, sha256: `sha-${id}`, thumb_url: `/v1/images/${id}/thumb`, thumb_data: null, status: 'ready', captured_at: at(), description,
  };
}

const good = (n: number, from = 0) => Array.from({ length: n }, (_, i) => image(`img_${from + i}`, `harbour study ${from + i}`));

/** Signs in (as the panel would), then opens the studio page at `hash`. */
async function openStudio(hash: string, tray: TrainingItem[] = []) {
  await send('auth.verify', { email: 'ada@example.test', code: fake.code });
  await trainingTray.of(USER).setValue(tray);
  location.hash = hash;
  render(<StudioPage />);
  await screen.findByRole('navigation', { name: 'Studio' });
}

/** The studio's live channel, accepted by the "server". */
async function channel() {
  await waitFor(() => expect(FakeSocket.all.length).toBeGreaterThan(0));
  const socket = FakeSocket.all.at(-1)!;
  socket.accept();
  return socket;
}

const styleUpdated = (socket: FakeSocket, style: Style) => socket.deliver({ type: 'style.updated', data: style, at: at() });
const calls = (route: string) => fake.state.calls.filter((c) => `${c.method} ${c.path}` === route);
const imageCard = (n: number) => screen.getByRole('listitem', { name: `Image ${n}` });

async function nameAndCreate(visibility: 'Public' | 'Private' = 'Public') {
  fireEvent.input(await screen.findByLabelText('Name of the Style'), { target: { value: 'Dusk Harbour' } });
  fireEvent.click(screen.getByRole('radio', { name: new RegExp(`^${visibility}`) }));
  await waitFor(() => expect((screen.getByRole('button', { name: 'Create the training set' }) as HTMLButtonElement).disabled).toBe(false));
  fireEvent.click(screen.getByRole('button', { name: 'Create the training set' }));
}

const trainButton = () => screen.getByRole('button', { name: 'Train' }) as HTMLButtonElement;

describe('the training view', () => {
  it('turns the tray into a server set, showing each refusal in the server’s words beside its image, with a way to remove it', async () => {
    const tray = [
      ...good(4),
      image('img_soft', 'harbour at noon', { width: 800, height: 900 }),
      image('img_small', 'tiny harbour', { width: 400, height: 600 }),
      image('img_near', 'harbour again', { hash: hashOf('img_0') }),
      image('img_locked', 'someone’s style', { locked: true }),
    ];
    await openStudio('#training', tray);
    await nameAndCreate();

    await waitFor(() => expect(within(imageCard(8)).getByTestId('image-refusal').textContent).toContain('cannot train a Style'));
    expect(within(imageCard(6)).getByTestId('image-refusal').textContent).toBe('Not in the set: This image is 400×600; training images need at least 512 px on the short side.');
    expect(within(imageCard(7)).getByTestId('image-refusal').textContent).toContain('nearly the same as image 1 in the set');
    await waitFor(() => expect(within(imageCard(5)).getByTestId('image-warning').textContent).toContain('Under 1024 px on the short side (800×900)'));
    expect(within(imageCard(1)).queryByTestId('image-refusal')).toBeNull();
    // The server holds what it accepted, each with the description written in the tray.
    const set = [...fake.styles.sets.values()][0]!;
    expect(set.name).toBe('Dusk Harbour');
    expect(set.items.map((i) => [i.imageId, i.description])).toEqual([...good(4).map((i) => [i.image_id, i.description]), ['img_soft', 'harbour at noon']]);
    // Ready: what stops Train now is only the credits.
    await waitFor(() => expect(screen.getByTestId('train-blocked').textContent).toBe('Training costs 120 credits; you have 112 available. Buy credits, then train.'));

    // Remove takes the refused image out of the tray; nothing was asked of the server for it.
    fireEvent.click(within(imageCard(6)).getByRole('button', { name: 'Remove image 6' }));
    await waitFor(() => expect(screen.getAllByTestId('set-image')).toHaveLength(7));
    expect((await trainingTray.of(USER).getValue()).map((t) => t.image_id)).not.toContain('img_small');
    expect(calls('DELETE /v1/training-sets/' + set.id + '/images/img_small')).toHaveLength(0);

    // Removing an image the set holds takes it out of the set too.
    fireEvent.click(within(imageCard(1)).getByRole('button', { name: 'Remove image 1' }));
    await waitFor(() => expect(set.items.map((i) => i.imageId)).not.toContain('img_0'));
    await waitFor(() => expect(screen.getByTestId('train-blocked').textContent).toBe('A set needs at least 5 images; it has 4.'));
  });

  it('keeps Train disabled with the reason until the set is ready and affordable, and saves descriptions once typing pauses', async () => {
    await openStudio('#training', [...good(4), image('img_blank', '')]);
    const socket = await channel();
    await nameAndCreate();
    await waitFor(() => expect(screen.getByTestId('train-blocked').textContent).toBe('One image needs a short description.'));
    expect(trainButton().disabled).toBe(true);

    fireEvent.input(screen.getByLabelText('Description of image 5'), { target: { value: 'harbour, ' } });
    fireEvent.input(screen.getByLabelText('Description of image 5'), { target: { value: 'harbour, two boats' } });
    // The credits are short: 112 available of the 120 training costs.
    await waitFor(() => expect(screen.getByTestId('train-blocked').textContent).toBe('Training costs 120 credits; you have 112 available. Buy credits, then train.'));
    expect(trainButton().disabled).toBe(true);
    expect(screen.getByTestId('training-cost').textContent).toBe('Training costs 120 credits; you have 112 available.');
    const patches = calls(`PATCH /v1/training-sets/${[...fake.styles.sets.keys()][0]}/images/img_blank`);
    expect(patches.map((c) => c.body)).toEqual([{ description: 'harbour, two boats' }]);

    fake.state.credits = { balance: 500, held: 0, available: 500 };
    socket.deliver({ type: 'credits.changed', data: fake.state.credits, at: at() });
    await waitFor(() => expect(trainButton().disabled).toBe(false));
    expect(screen.getByTestId('train-blocked').textContent).toBe('');
  });

  it('explains a 402, keeps the tray, and retries the same click with the same Idempotency-Key until training starts', async () => {
    await openStudio('#training', good(5));
    const socket = await channel();
    await nameAndCreate('Private');
    fake.state.credits = { balance: 500, held: 0, available: 500 };
    socket.deliver({ type: 'credits.changed', data: fake.state.credits, at: at() });
    await waitFor(() => expect(trainButton().disabled).toBe(false));

    // Meanwhile the credits went elsewhere: the server refuses.
    fake.state.credits = { balance: 30, held: 0, available: 30 };
    fireEvent.click(trainButton());
    expect((await screen.findByRole('alert')).textContent).toBe('Training costs 120 credits and you have 30 available: buy credits, then press Train again. Your set is kept.');
    expect(await trainingTray.of(USER).getValue()).toHaveLength(5);
    expect(fake.styles.styles.size).toBe(0);

    fake.state.credits = { balance: 500, held: 0, available: 500 };
    fireEvent.click(trainButton());
    await waitFor(() => expect(location.hash).toBe('#styles/sty_2'));
    const tries = calls('POST /v1/styles');
    expect(tries).toHaveLength(2);
    expect(tries[1]!.body).toEqual({ training_set_id: 'tst_1', name: 'Dusk Harbour', visibility: 'private' });
    const [first, second] = fake.styles.trainAttempts;
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
    // Training has started: the tray and the draft are done with.
    expect(await trainingTray.of(USER).getValue()).toEqual([]);
    expect((await trainingDraft.of(USER).getValue()).set_id).toBeNull();
  });

  it('uploads images from the computer into the set', async () => {
    await openStudio('#training', good(4));
    await nameAndCreate();
    await waitFor(() => expect([...fake.styles.sets.values()][0]!.items).toHaveLength(4));
    const input = screen.getByLabelText('Add images from your computer') as HTMLInputElement;
    const file = new File([createPng(1200, 1100, [30, 60, 90])], 'pier.png', { type: 'image/png' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(screen.getAllByTestId('set-image')).toHaveLength(5));
    await waitFor(() => expect([...fake.styles.sets.values()][0]!.items.map((i) => [i.width, i.height])).toContainEqual([1200, 1100]));
    expect(calls('POST /v1/images')).toHaveLength(1);
    expect(within(imageCard(5)).getByText(/1200×1100 px · pier\.png/)).toBeTruthy();
    expect((await within(imageCard(5)).findByRole('img')).getAttribute('src')).toMatch(/^blob:/);
  });
});

describe('my Styles', () => {
  it('shows training progress as the live channel tells it, and the quiz when training ends, without polling', async () => {
    const style = fake.seedStyle('public');
    await openStudio(`#styles/${style.id}`);
    const socket = await channel();
    expect((await screen.findByTestId('style-status')).textContent).toBe('Training, 0% done');
    const before = fake.state.calls.length;
    styleUpdated(socket, fake.change(style.id, { training: { progress: 0.4, error: null } }));
    await waitFor(() => expect(screen.getByTestId('style-status').textContent).toBe('Training, 40% done'));
    expect(screen.getByRole('progressbar', { name: 'Training Dusk Harbour' }).getAttribute('aria-valuenow')).toBe('40');
    await new Promise((r) => setTimeout(r, 3300));
    styleUpdated(socket, fake.finishTraining(style.id));
    await screen.findByRole('form', { name: 'Quiz' });
    expect(screen.getAllByRole('radiogroup', { name: /^Score for sample/ })).toHaveLength(6);
    expect(fake.state.calls.slice(before).filter((c) => c.path.startsWith('/v1/styles'))).toEqual([]);
  });

  it('polls a training Style while the live channel is down', async () => {
    const style = fake.seedStyle('private');
    await openStudio(`#styles/${style.id}`);
    expect((await screen.findByTestId('style-status')).textContent).toBe('Training, 0% done');
    fake.finishTraining(style.id);
    await waitFor(() => expect(screen.getByTestId('style-status').textContent).toBe('Trained: score the quiz'), { timeout: 5000 });
    expect(calls(`GET /v1/styles/${style.id}`).length).toBeGreaterThan(0);
  });

  it('passes the quiz once every sample is scored: a public Style is then ready to publish', async () => {
    const style = fake.seedStyle('public');
    fake.finishTraining(style.id);
    await openStudio(`#styles/${style.id}`);
    const submit = (await screen.findByRole('button', { name: 'Submit scores' })) as HTMLButtonElement;
    const groups = screen.getAllByRole('radiogroup', { name: /^Score for sample/ });
    expect(within(groups[0]!).getAllByRole('radio').map((r) => r.closest('label')!.textContent)).toEqual(['1 — poor', '2 — weak', '3 — fair', '4 — good', '5 — excellent']);
    expect(await screen.findAllByRole('img', { name: /^Sample 1: / })).toHaveLength(1);
    groups.slice(0, 5).forEach((g) => fireEvent.click(within(g).getByRole('radio', { name: '4 — good' })));
    expect(submit.disabled).toBe(true);
    expect(screen.getByText('One sample still needs a score.')).toBeTruthy();
    fireEvent.click(within(groups[5]!).getByRole('radio', { name: '3 — fair' }));
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await waitFor(() => expect(screen.getByTestId('style-status').textContent).toBe('Ready to publish'));
    expect(calls(`POST /v1/styles/${style.id}/quiz`)[0]!.body.scores).toEqual([4, 4, 4, 4, 4, 3].map((score, i) => ({ image_id: `img_q1_${i}`, score })));
    expect(screen.getByText(/Your quiz average was 3\.8/)).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Publish' })).toBeTruthy();
  });

  it('offers a free retrain after a poor quiz, with the average against the threshold', async () => {
    const style = fake.seedStyle('private');
    fake.finishTraining(style.id);
    await openStudio(`#styles/${style.id}`);
    await screen.findByRole('button', { name: 'Submit scores' });
    for (const g of screen.getAllByRole('radiogroup', { name: /^Score for sample/ })) fireEvent.click(within(g).getByRole('radio', { name: '2 — weak' }));
    fireEvent.click(screen.getByRole('button', { name: 'Submit scores' }));
    await screen.findByText('Your average was 2.0; a pass needs 3.5. Retrain it for free: a new version trains from the same set.');
    fireEvent.click(screen.getByRole('button', { name: 'Retrain for free' }));
    await waitFor(() => expect(screen.getByTestId('style-status').textContent).toBe('Training, 0% done'));
    expect(screen.getByText('Version 2')).toBeTruthy();
    expect(calls(`POST /v1/styles/${style.id}/retrain`)).toHaveLength(1);
    expect(fake.state.credits.available).toBe(112);
  });

  it('checks the publish form before sending it, then sends it to moderation', async () => {
    const style = fake.seedStyle('public');
    fake.finishTraining(style.id);
    fake.addGeneration(style.id, ['img_r1', 'img_r2', 'img_r3', 'img_r4']);
    fake.addGeneration('flux-schnell', ['img_other']);
    fake.change(style.id, { status: 'ready', quiz: { ...fake.style(style.id).quiz!, average: 4, outcome: 'pass' } });
    await openStudio(`#styles/${style.id}`);
    const form = await screen.findByRole('form', { name: 'Publish' });
    await waitFor(() => expect(within(form).getAllByRole('checkbox', { name: /^Example: / })).toHaveLength(10));

    fireEvent.input(within(form).getByLabelText('Title'), { target: { value: '  ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Submit for moderation' }));
    const problems = await within(form).findByRole('alert');
    expect([...problems.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Give it a title.', 'Choose a title image.', 'Say what the copyright status of the training images is.']);
    expect(calls(`POST /v1/styles/${style.id}/publish`)).toHaveLength(0);

    fireEvent.input(within(form).getByLabelText('Title'), { target: { value: 'Dusk Harbour' } });
    fireEvent.click(within(form).getByRole('radio', { name: 'Title image: image 7' }));
    const examples = within(form).getAllByRole('checkbox', { name: /^Example: / }) as HTMLInputElement[];
    examples.slice(0, 8).forEach((box) => fireEvent.click(box));
    // Eight is the most: the rest wait.
    expect(examples.slice(8).map((box) => box.disabled)).toEqual([true, true]);
    fireEvent.click(within(form).getByRole('radio', { name: /^My own work/ }));
    fireEvent.click(within(form).getByRole('button', { name: 'Submit for moderation' }));
    await waitFor(() => expect(screen.getByTestId('style-status').textContent).toBe('In moderation'));
    expect(calls(`POST /v1/styles/${style.id}/publish`)[0]!.body).toEqual({
      title: 'Dusk Harbour',
      title_image_id: 'img_r1',
      example_image_ids: ['img_q1_0', 'img_q1_1', 'img_q1_2', 'img_q1_3', 'img_q1_4', 'img_q1_5', 'img_r1', 'img_r2'],
      copyright_status: 'own_work',
    });
  });

  it('shows a rejection’s reason and the moderator’s note, and retrains for free', async () => {
    const style = fake.seedStyle('public', {
      status: 'rejected',
      free_retrain: true,
      moderation: { decision: 'rejected', reason: 'inconsistent_style', note: 'The boats change from ink to oil.', decided_at: at() },
    });
    await openStudio(`#styles/${style.id}`);
    expect((await screen.findByTestId('rejection-reason')).textContent).toBe('Its samples do not share one consistent style.');
    expect(screen.getByText('“The boats change from ink to oil.”')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retrain for free' }));
    await waitFor(() => expect(screen.getByTestId('style-status').textContent).toBe('Training, 0% done'));
  });

  it('shows the way to the library once accepted, verification progress toward 25, and Verify once eligible', async () => {
    const style = fake.seedStyle('public', {
      status: 'published',
      verification: { distinct_users: 12, threshold: 25, eligible: false, verified: false },
      earnings: { total: 0 },
      moderation: { decision: 'accepted', decided_at: at() },
    });
    await openStudio(`#styles/${style.id}`);
    const socket = await channel();
    expect((await screen.findByRole('link', { name: 'See it in the library' })).getAttribute('href')).toBe(`#library/model/${style.id}`);
    expect(screen.getByRole('progressbar', { name: 'People who have used it' }).getAttribute('aria-valuenow')).toBe('12');
    expect(screen.getByTestId('verification-progress').textContent).toMatch(/^12 of 25 people have used it\./);
    expect(screen.queryByRole('button', { name: 'Verify' })).toBeNull();
    expect(screen.getByRole('link', { name: 'All earnings' }).getAttribute('href')).toBe('#earnings');

    styleUpdated(socket, fake.change(style.id, { verification: { distinct_users: 25, threshold: 25, eligible: true, verified: false }, earnings: { total: 0 } }));
    const verify = (await screen.findByRole('button', { name: 'Verify' })) as HTMLButtonElement;
    expect(verify.disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: /I confirm that I hold the rights I stated/ }));
    fireEvent.click(verify);
    await screen.findByText('Verified: its images can be licensed, and each license earns you your share.');
    expect(calls(`POST /v1/styles/${style.id}/verify`)[0]!.body).toEqual({ attestation: true });
    expect(screen.getByTestId('style-status').textContent).toBe('Published and verified');
  });

  it('lists every Style with its status in words', async () => {
    fake.seedStyle('private', { status: 'failed', training: { progress: null, error: 'The trainer stopped: the set could not be read.' } });
    const quiz = fake.seedStyle('public');
    fake.finishTraining(quiz.id);
    await openStudio('#styles');
    await waitFor(() => expect(screen.getAllByTestId('style-item')).toHaveLength(2));
    expect(screen.getAllByTestId('style-status').map((s) => s.textContent)).toEqual(['Trained: score the quiz', 'Training failed']);
    expect(screen.getByText('The trainer stopped: the set could not be read.')).toBeTruthy();
  });
});

describe('the side panel’s Training tab', () => {
  it('opens the studio in a tab, and lists my Styles with links to what to do next', async () => {
    const training = fake.seedStyle('public');
    fake.change(training.id, { training: { progress: 0.25, error: null } });
    const quiz = fake.seedStyle('private');
    fake.finishTraining(quiz.id);
    render(<App />);
    await signInAs(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Training' }));
    const list = await screen.findByRole('region', { name: 'Your Styles' });
    await waitFor(() => expect(within(list).getAllByTestId('panel-style')).toHaveLength(2));
    expect(within(list).getByText('Training, 25% done')).toBeTruthy();
    expect(within(list).getByRole('progressbar', { name: 'Training Dusk Harbour' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Open the studio' }));
    await waitFor(async () => expect((await fakeBrowser.tabs.query({})).map((t) => t.url)).toContainEqual(expect.stringMatching(/\/studio\.html#training$/)));

    fireEvent.click(within(list).getByRole('link', { name: 'Score the quiz: Dusk Harbour' }));
    await waitFor(async () => expect((await fakeBrowser.tabs.query({})).map((t) => t.url)).toContainEqual(expect.stringMatching(new RegExp(`/studio\\.html#styles/${quiz.id}$`))));
    cleanup();
  });
});

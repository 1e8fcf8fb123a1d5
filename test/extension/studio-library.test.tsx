// The studio's library, creator pages, profile and earnings as a designer uses them, against a
// fake API speaking the real wire format; controls found by role and label.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backgroundHandlers } from '../../extension/entrypoints/background/handlers';
import { createApiClient } from '../../extension/lib/api-client';
import { API_URL } from '../../extension/lib/config';
import { referencesTray } from '../../extension/lib/captures';
import { createListener, send } from '../../extension/lib/messaging';
import { createSession } from '../../extension/lib/session';
import { App } from '../../extension/panel/App';
import { blankDraft, draft } from '../../extension/panel/generate/draft';
import { chartSummary, everyDay, niceTop } from '../../extension/studio/earnings/chart';
import { StudioPage } from '../../extension/studio/StudioPage';
import { signInAs } from './panel-harness';
import { createFakeLibraryApi, type FakeLibraryApi, type Person, publishedStyle } from './fake-library-api';

let fake: FakeLibraryApi;

beforeEach(() => {
  fakeBrowser.reset();
  fake = createFakeLibraryApi();
  vi.stubGlobal('fetch', fake.fetch);
  const session = createSession(createApiClient(API_URL, fake.fetch));
  fakeBrowser.runtime.onMessage.addListener(createListener(backgroundHandlers(session, { captureUrls: async () => ({ captures: [], failed: [] }) }), () => true) as never);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  location.hash = '';
});

const mira: Person = {
  userId: 'usr_mira',
  profile: {
    handle: 'mira',
    display_name: 'Mira Okafor',
    bio: 'Harbour painter.',
    avatar_image_id: 'img_avatar',
    links: [
      { label: 'Portfolio', url: 'https://mira.example/work' },
      { label: 'Shop', url: 'http://shop.mira.example/' },
    ],
  },
};
const jun: Person = { userId: 'usr_jun', profile: { handle: 'jun', display_name: 'Jun Park', bio: '', avatar_image_id: null, links: [] } };

function publishLibrary() {
  fake.library.people.push(structuredClone(mira), structuredClone(jun));
  fake.library.published.push(
    publishedStyle({ id: 'sty_dusk', name: 'Dusk Harbour', creator: mira, users: 31, published_at: '2026-10-01T10:00:00.000Z', verified: true, examples: 3 }),
    publishedStyle({ id: 'sty_ink', name: 'Ink Wash', creator: jun, users: 4, published_at: '2026-11-10T10:00:00.000Z' }),
    publishedStyle({ id: 'sty_tide', name: 'Tide Pools', creator: mira, users: 12, published_at: '2026-11-01T10:00:00.000Z' }),
  );
}

/** Signs in through the background, as the side panel would, and opens the studio at `hash`. */
async function studioAt(hash: string) {
  await send('auth.verify', { email: 'ada@example.test', code: fake.code });
  location.hash = hash;
  render(<StudioPage />);
  await screen.findByRole('navigation', { name: 'Studio' });
}

const cardNames = (list: HTMLElement) => within(list).getAllByRole('heading', { level: 3 }).map((h) => h.textContent?.replace('✓', '').trim());
const modelCalls = () => fake.state.calls.filter((c) => c.path === '/v1/models' && c.method === 'GET');

describe('the library', () => {
  it('lists Artist Styles by most used, with title image, creator, verified mark, users and license in words', async () => {
    publishLibrary();
    await studioAt('#library');
    const results = await screen.findByRole('list', { name: 'Results' });
    expect(cardNames(results)).toEqual(['Dusk Harbour', 'Tide Pools', 'Ink Wash']);
    expect(new URLSearchParams(modelCalls().at(-1)!.search).toString()).toBe('kind=artist&sort=popular');

    const dusk = within(results).getAllByRole('listitem')[0]!;
    const cover = within(dusk).getByRole('img', { name: 'Title image of Dusk Harbour' }) as HTMLImageElement;
    expect(cover.src).toBe(`${API_URL}/v1/models/sty_dusk/examples/img_sty_dusk_title`);
    expect(within(dusk).getByRole('img', { name: 'Verified' })).toBeTruthy();
    expect(within(dusk).getByRole('link', { name: 'Mira Okafor' }).getAttribute('href')).toBe('#library/creator/mira');
    expect(within(dusk).getByRole('link', { name: 'Dusk Harbour' }).getAttribute('href')).toBe('#library/model/sty_dusk');
    expect(dusk.textContent).toContain('31 users');
    expect(dusk.textContent).toContain('Per image for 20 credits');
    const ink = within(results).getAllByRole('listitem')[2]!;
    expect(within(ink).queryByRole('img', { name: 'Verified' })).toBeNull();
    expect(ink.textContent).toContain('Personal use only');
  });

  it('sends the search once typing pauses, and the order and kind chosen', async () => {
    publishLibrary();
    await studioAt('#library');
    await screen.findByRole('list', { name: 'Results' });
    const before = modelCalls().length;

    const search = screen.getByRole('searchbox', { name: 'Search the library' });
    fireEvent.input(search, { target: { value: 'h' } });
    fireEvent.input(search, { target: { value: 'ha' } });
    fireEvent.input(search, { target: { value: 'harb' } });
    await waitFor(() => expect(cardNames(screen.getByRole('list', { name: 'Results' }))).toEqual(['Dusk Harbour']));
    // One request for the settled words, not one per keystroke.
    expect(modelCalls().slice(before).map((c) => new URLSearchParams(c.search).get('q'))).toEqual(['harb']);

    fireEvent.input(search, { target: { value: 'mira' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Sort by' }), { target: { value: 'new' } });
    await waitFor(() => expect(cardNames(screen.getByRole('list', { name: 'Results' }))).toEqual(['Tide Pools', 'Dusk Harbour']));
    expect(new URLSearchParams(modelCalls().at(-1)!.search).toString()).toBe('kind=artist&q=mira&sort=new');

    fireEvent.input(search, { target: { value: '' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Kind' }), { target: { value: 'all' } });
    await waitFor(() => expect(new URLSearchParams(modelCalls().at(-1)!.search).toString()).toBe('sort=new'));
    await waitFor(() => expect(screen.getByRole('list', { name: 'Results' }).textContent).toContain('Exactly 1.0 Agentic'));
  });

  it('says so in words when nothing matches, and when the library cannot be reached', async () => {
    publishLibrary();
    await studioAt('#library');
    await screen.findByRole('list', { name: 'Results' });
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search the library' }), { target: { value: 'zeppelin' } });
    expect(await screen.findByText('Nothing in Artist Styles matches “zeppelin”. Try other words, or all kinds.')).toBeTruthy();

    fake.state.down = true;
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search the library' }), { target: { value: 'zeppelins' } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be loaded: Exactly cannot be reached/);
  });
});

describe('a Style’s page', () => {
  it('shows the title image large, the examples, creator, license terms and users, and chooses it for Generate', async () => {
    publishLibrary();
    fakeBrowser.sidePanel.open = vi.fn(async () => undefined) as never;
    const studioWindow = await fakeBrowser.windows.create({ focused: true });
    await studioAt('#library/model/sty_dusk');
    const page = await screen.findByRole('article', { name: /Dusk Harbour/ });
    expect(within(page).getByRole('img', { name: 'Title image of Dusk Harbour' })).toBeTruthy();
    const examples = within(page).getByRole('region', { name: 'Examples' });
    expect(within(examples).getAllByRole('img').map((i) => i.getAttribute('alt'))).toEqual([
      'Example 1 of 3 made with Dusk Harbour',
      'Example 2 of 3 made with Dusk Harbour',
      'Example 3 of 3 made with Dusk Harbour',
    ]);
    expect(within(page).getByRole('img', { name: 'Verified' })).toBeTruthy();
    expect(within(page).getByRole('link', { name: /Mira Okafor/ }).getAttribute('href')).toBe('#library/creator/mira');
    expect(within(page).getByRole('img', { name: 'Mira Okafor’s avatar' })).toBeTruthy();
    expect(within(page).getByRole('region', { name: 'License terms' }).textContent).toMatch(/royalty-free license to use this one image commercially/);
    expect(page.textContent).toContain('31 users');
    expect(page.textContent).toContain('Per image for 20 credits');

    // A moment after the page shows, as a person clicks: the page has learnt its window by then.
    await new Promise((settle) => setTimeout(settle, 20));
    fireEvent.click(within(page).getByRole('button', { name: 'Generate with this Style' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/Dusk Harbour is chosen in the side panel’s Generate tab/));
    const kept = await draft.of(fake.user.id).getValue();
    expect(kept?.modelId).toBe('sty_dusk');
    expect(fakeBrowser.sidePanel.open).toHaveBeenCalledWith({ windowId: studioWindow!.id });
  });

  it('keeps the prompt already written when another Style is chosen', async () => {
    publishLibrary();
    await draft.of(fake.user.id).setValue({ ...blankDraft, modelId: 'flux-schnell', prompt: 'a lighthouse', batch: 2, resolution: 'hd', aspectRatio: '1:1' });
    await studioAt('#library/model/sty_ink');
    fireEvent.click(await screen.findByRole('button', { name: 'Generate with this Style' }));
    await waitFor(async () => expect(await draft.of(fake.user.id).getValue()).toEqual({ ...blankDraft, modelId: 'sty_ink', prompt: 'a lighthouse', batch: 2, resolution: 'hd', aspectRatio: '1:1' }));
  });

  it('says in words that a Style is not in the library', async () => {
    await studioAt('#library/model/sty_gone');
    expect((await screen.findByRole('alert')).textContent).toMatch(/This Style is not in the library/);
  });
});

describe('a creator’s page', () => {
  it('shows avatar, name, handle, bio, links that open apart from the studio, and their published Styles', async () => {
    publishLibrary();
    await studioAt('#library/creator/mira');
    const page = await screen.findByRole('article', { name: 'Mira Okafor' });
    expect(within(page).getByRole('img', { name: 'Mira Okafor’s avatar' }).getAttribute('src')).toBe(`${API_URL}/v1/creators/mira/avatar`);
    expect(page.textContent).toContain('@mira');
    expect(page.textContent).toContain('Harbour painter.');
    const links = within(within(page).getByRole('list', { name: 'Links' })).getAllByRole('link');
    expect(links.map((l) => [l.textContent, l.getAttribute('href'), l.getAttribute('rel')])).toEqual([
      ['Portfolio', 'https://mira.example/work', 'noopener noreferrer'],
      ['Shop', 'http://shop.mira.example/', 'noopener noreferrer'],
    ]);
    expect(cardNames(within(page).getByRole('list', { name: 'Styles by Mira Okafor' }))).toEqual(['Dusk Harbour', 'Tide Pools']);
  });

  it('never turns a script address into a link, even if the API sent one', async () => {
    publishLibrary();
    fake.library.people[0]!.profile.links.push({ label: 'Sneaky', url: 'javascript:alert(document.cookie)' });
    await studioAt('#library/creator/mira');
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be loaded/);
    expect(screen.queryByRole('link', { name: 'Sneaky' })).toBeNull();
  });

  it('says in words that nobody goes by a handle', async () => {
    await studioAt('#library/creator/nobody');
    expect((await screen.findByRole('alert')).textContent).toMatch(/No creator goes by @nobody/);
    expect(screen.getByRole('link', { name: 'Back to the library' }).getAttribute('href')).toBe('#library');
  });
});

describe('your profile', () => {
  const patches = () => fake.state.calls.filter((c) => c.path === '/v1/profile' && c.method === 'PATCH');

  it('saves only what changed, counts the bio, keeps up to five links, and links to your creator page', async () => {
    await studioAt('#profile');
    const form = await screen.findByRole('form', { name: 'Your profile' });
    expect((screen.getByLabelText('Handle') as HTMLInputElement).value).toBe('ada');
    expect(screen.getByRole('button', { name: 'Save profile' })).toHaveProperty('disabled', true);

    fireEvent.input(screen.getByLabelText('Display name'), { target: { value: 'Ada Lovelace' } });
    fireEvent.input(screen.getByLabelText('Bio'), { target: { value: 'Engines and harbours.' } });
    expect(form.textContent).toContain('21 / 500 characters');
    for (let i = 0; i < 5; i++) fireEvent.click(screen.getByRole('button', { name: 'Add a link' }));
    expect(screen.getByRole('button', { name: 'Add a link' })).toHaveProperty('disabled', true);
    for (let i = 5; i >= 2; i--) fireEvent.click(screen.getByRole('button', { name: `Remove link ${i}` }));
    fireEvent.input(screen.getByLabelText('Label of link 1'), { target: { value: 'Portfolio' } });
    fireEvent.input(screen.getByLabelText('Address of link 1'), { target: { value: 'https://ada.example/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    await waitFor(() => expect(within(form).getByRole('status').textContent).toBe('Saved.'));
    expect(patches().map((c) => c.body)).toEqual([{ display_name: 'Ada Lovelace', bio: 'Engines and harbours.', links: [{ label: 'Portfolio', url: 'https://ada.example/' }] }]);
    expect(fake.library.people[0]!.profile).toMatchObject({ display_name: 'Ada Lovelace', bio: 'Engines and harbours.' });
    expect(screen.getByRole('link', { name: 'See your creator page' }).getAttribute('href')).toBe('#library/creator/ada');
  });

  it('says beside the handle that it is taken, and changes nothing', async () => {
    fake.library.people.push(structuredClone(mira));
    await studioAt('#profile');
    const handle = await screen.findByLabelText('Handle');
    fireEvent.input(handle, { target: { value: 'mira' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    const said = await screen.findByText('The handle @mira is taken. Choose another.');
    expect(handle.getAttribute('aria-invalid')).toBe('true');
    expect(handle.getAttribute('aria-describedby')).toBe(said.id);
    expect(screen.getByRole('alert').textContent).toBe('Not saved: The handle @mira is taken. Choose another.');
    expect(fake.library.people.find((p) => p.userId === fake.user.id)!.profile.handle).toBe('ada');
    expect(fake.library.people.find((p) => p.userId === 'usr_mira')!.profile.handle).toBe('mira');
  });

  it('refuses a link that is not a web address, and a handle the API would not take, before sending anything', async () => {
    await studioAt('#profile');
    fireEvent.input(await screen.findByLabelText('Handle'), { target: { value: 'a!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a link' }));
    fireEvent.input(screen.getByLabelText('Label of link 1'), { target: { value: 'Click me' } });
    fireEvent.input(screen.getByLabelText('Address of link 1'), { target: { value: 'javascript:alert(document.cookie)' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Give a full web address starting with https:// (or http://).')).toBeTruthy();
    expect(screen.getByText('A handle is 3 to 30 letters, digits or _, starting with a letter or digit')).toBeTruthy();
    expect(screen.getByLabelText('Address of link 1').getAttribute('aria-invalid')).toBe('true');
    expect(patches()).toHaveLength(0);
  });

  it('takes an avatar from an uploaded picture, and can remove it', async () => {
    await studioAt('#profile');
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'me.png', { type: 'image/png' });
    fireEvent.change(await screen.findByLabelText('Upload a picture'), { target: { files: [file] } });
    expect(await screen.findByRole('img', { name: 'Your avatar' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(patches().at(-1)?.body).toEqual({ avatar_image_id: expect.stringMatching(/^img_up_/) }));

    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Saved.'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove avatar' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(patches().at(-1)?.body).toEqual({ avatar_image_id: null }));
    expect(await screen.findByText('No avatar')).toBeTruthy();
  });

  it('takes an avatar from an image captured into the references tray', async () => {
    const captured = (id: string, alt: string) => ({
      id, menu: 'reference' as const, image_id: `img_${id}`, source_url: null, page_url: 'https://blog.example/', page_title: 'Blog', alt, width: 640, height: 640,
      sha256: 'ab'.repeat(32), thumb_url: `/v1/images/img_${id}/thumb`, thumb_data: 'data:image/png;base64,iVBORw0KGgo=', status: 'ready' as const, captured_at: '2026-11-22T10:00:00.000Z',
    });
    await referencesTray.of(fake.user.id).setValue([captured('c1', 'a red kite'), captured('c2', 'self portrait')]);
    await studioAt('#profile');
    const choice = await screen.findByRole('button', { name: 'Use captured image 2 (self portrait) as your avatar' });
    fireEvent.click(choice);
    expect(choice.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(patches().at(-1)?.body).toEqual({ avatar_image_id: 'img_c2' }));
  });

  it('says in words when a file is not a picture', async () => {
    await studioAt('#profile');
    const file = new File(['not a picture'], 'notes.txt', { type: 'text/plain' });
    fireEvent.change(await screen.findByLabelText('Upload a picture'), { target: { files: [file] } });
    expect((await screen.findByRole('alert')).textContent).toBe('The picture was not uploaded: That file is not a picture Exactly can read: use PNG, JPEG, WebP, GIF or AVIF.');
    expect(screen.getByText('No avatar')).toBeTruthy();
  });
});

describe('your earnings', () => {
  it('shows the total, a chart with a bar per day each named, the per-Style table and the latest licenses', async () => {
    fake.library.earnings.set(fake.user.id, {
      total: 42,
      by_style: [
        { style_id: 'sty_dusk', name: 'Dusk Harbour', amount: 28, licenses: 2 },
        { style_id: 'sty_tide', name: 'Tide Pools', amount: 14, licenses: 1 },
      ],
      // Sparse, as sales come: the 19th sold nothing.
      by_day: [
        { date: '2026-11-18', amount: 14 },
        { date: '2026-11-20', amount: 28 },
      ],
      items: [
        { id: 'ern_1', license_id: 'lic_1', style_id: 'sty_dusk', image_id: 'img_1', amount: 14, created_at: '2026-11-18T09:00:00.000Z' },
        { id: 'ern_2', license_id: 'lic_2', style_id: 'sty_dusk', image_id: 'img_2', amount: 14, created_at: '2026-11-20T09:00:00.000Z' },
        { id: 'ern_3', license_id: 'lic_3', style_id: 'sty_tide', image_id: 'img_3', amount: 14, created_at: '2026-11-20T11:00:00.000Z' },
      ],
    });
    await studioAt('#earnings');
    const view = await screen.findByRole('region', { name: 'Earnings' });
    expect((await within(view).findByText('Earned in all')).parentElement!.textContent).toBe('Earned in all 42 credits');
    expect(view.textContent).toMatch(/credited to your balance as credits/);

    const chart = within(view).getByRole('img', { name: /^Earnings per day/ });
    expect(chart.getAttribute('aria-label')).toBe('Earnings per day from Nov 18 to Nov 20, 2026: 42 credits in all over 3 days; the best day, Nov 20, brought 28 credits.');
    const bars = [...chart.querySelectorAll('rect.bar')];
    expect(bars.map((b) => b.querySelector('title')!.textContent)).toEqual(['Nov 18, 2026: 14 credits', 'Nov 19, 2026: 0 credits', 'Nov 20, 2026: 28 credits']);
    // Heights follow the amounts: the 20th's bar is twice the 18th's.
    const height = (i: number) => Number(bars[i]!.getAttribute('height'));
    expect(height(2)).toBeCloseTo(2 * height(0));
    expect(height(1)).toBe(0);
    expect([...chart.querySelectorAll('text')].map((t) => t.textContent)).toEqual(expect.arrayContaining(['Day', 'Credits', 'Nov 18', 'Nov 20']));
    const perDay = within(view).getByRole('table', { name: 'Earnings per day' });
    expect(within(perDay).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['Nov 18, 202614 credits', 'Nov 19, 20260 credits', 'Nov 20, 202628 credits']);

    const perStyle = within(view).getByRole('table', { name: 'Earnings per Style' });
    expect(within(perStyle).getAllByRole('row').map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['Style', 'Licenses sold', 'Earned'],
      ['Dusk Harbour', '2', '28 credits'],
      ['Tide Pools', '1', '14 credits'],
    ]);
    expect(within(perStyle).getByRole('link', { name: 'Dusk Harbour' }).getAttribute('href')).toBe('#library/model/sty_dusk');
    const latest = within(within(view).getByRole('region', { name: 'Latest licenses' })).getAllByRole('listitem');
    expect(latest.map((li) => li.textContent)).toEqual(['Tide Pools · Nov 20, 2026+14 credits', 'Dusk Harbour · Nov 20, 2026+14 credits', 'Dusk Harbour · Nov 18, 2026+14 credits']);
  });

  it('says what will show here when nothing has sold yet', async () => {
    await studioAt('#earnings');
    expect(await screen.findByText('No licenses sold yet. Once a verified public Style’s image is licensed, your share shows here.')).toBeTruthy();
    expect(screen.queryByRole('img', { name: /Earnings per day/ })).toBeNull();
  });
});

describe('the earnings chart’s numbers', () => {
  it('has a day for every date in the range, sales on one date added up, and at most a year', () => {
    expect(everyDay([{ date: '2026-11-03', amount: 5 }, { date: '2026-11-01', amount: 2 }, { date: '2026-11-01T18:00:00Z', amount: 1 }])).toEqual([
      { date: '2026-11-01', amount: 3 },
      { date: '2026-11-02', amount: 0 },
      { date: '2026-11-03', amount: 5 },
    ]);
    const twoYears = everyDay([{ date: '2024-11-01', amount: 1 }, { date: '2026-11-01', amount: 1 }]);
    expect(twoYears).toHaveLength(366);
    expect(twoYears.at(-1)).toEqual({ date: '2026-11-01', amount: 1 });
  });

  it('tops its scale with a round number at or above the best day', () => {
    expect([0, 1, 3, 22, 28, 40, 41, 140, 999].map(niceTop)).toEqual([1, 1, 3, 30, 30, 40, 50, 200, 1000]);
  });

  it('sums one day up in one sentence', () => {
    expect(chartSummary([{ date: '2026-11-20', amount: 1 }])).toBe('Earnings per day on Nov 20, 2026: 1 credit in all over 1 day; the best day, Nov 20, brought 1 credit.');
  });
});

describe('the side panel’s Models tab', () => {
  it('shows an Artist Style’s creator and verified mark, and opens the library in a tab', async () => {
    publishLibrary();
    render(<App />);
    await signInAs(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Models' }));
    const list = await screen.findByTestId('model-list');
    const dusk = (await within(list).findByText('Dusk Harbour')).closest('li')!;
    expect(within(dusk).getByRole('img', { name: 'Verified' })).toBeTruthy();
    expect(dusk.textContent).toContain('by Mira Okafor @mira');
    expect(dusk.textContent).toContain('Per image for 20 credits');
    const ink = within(list).getByText('Ink Wash').closest('li')!;
    expect(within(ink).queryByRole('img', { name: 'Verified' })).toBeNull();
    expect(ink.textContent).toContain('by Jun Park @jun');
    // Base models name no creator.
    expect(within(list).getByText('Exactly 1.0 Agentic').closest('li')!.textContent).not.toContain('by ');

    fireEvent.click(screen.getByRole('button', { name: 'Browse the library' }));
    await waitFor(async () => expect((await fakeBrowser.tabs.query({})).map((t) => t.url)).toContain(`chrome-extension://${fakeBrowser.runtime.id}/studio.html#library`));
  });
});

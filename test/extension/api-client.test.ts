// The API client: calls made from the shared route declarations, answers parsed with their
// schemas, and attribution headers that carry any page text intact.
import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, encodeAttribution } from '../../extension/lib/api-client';
import { builtInModels, publicModel } from '../../shared/catalog';

function recording(answer: () => Response) {
  const requests: Request[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new Request(input, init));
    return answer();
  }) as typeof fetch;
  return { requests, client: createApiClient('http://api.test', fetcher) };
}

const image = {
  id: 'img_1', kind: 'upload', width: 4, height: 4, bytes: 10, sha256: 'ab', content_type: 'image/png', source_url: null, page_url: null, page_title: 'Café 🌊 100%',
  policy: { watermarked: false, license: 'free', licensed: false, downloadable: true }, preview_url: '/p', thumb_url: '/t', created_at: '2026-11-22T00:00:00.000Z',
};

describe('attribution headers', () => {
  it('encode whole characters: accents, emoji and a literal % survive the round trip', () => {
    for (const title of ['Café crème', 'Waves 🌊🏄‍♀️ at dusk', '100% cotton', 'a%20b is not an escape', '東京の夜']) {
      const header = encodeAttribution(title);
      expect(header).toMatch(/^[\x21-\x7e]*$/); // a valid header value: visible ASCII only
      expect(decodeURIComponent(header)).toBe(title);
    }
  });

  it('make one line, mend a lone surrogate and cut at a character, never inside one', () => {
    expect(decodeURIComponent(encodeAttribution('one\r\ntwo\nthree'))).toBe('one two three');
    expect(decodeURIComponent(encodeAttribution('broken \uD83C title'))).toBe('broken \uFFFD title');
    expect(decodeURIComponent(encodeAttribution('🌊🌊🌊', 2))).toBe('🌊🌊');
  });

  it('are sent with an upload, which no emoji in a title can break', async () => {
    const { requests, client } = recording(() => new Response(JSON.stringify(image), { status: 201, headers: { 'content-type': 'application/json' } }));
    const uploaded = await client.upload('tok', new Uint8Array([1, 2, 3]), 'image/png', { sourceUrl: 'https://example.com/a b.png', pageUrl: 'https://example.com/?q=ü', pageTitle: 'Café 🌊 100%' });
    expect(uploaded.page_title).toBe('Café 🌊 100%');
    const sent = requests[0]!;
    expect(sent.method).toBe('POST');
    expect(new URL(sent.url).pathname).toBe('/v1/images');
    expect(sent.headers.get('authorization')).toBe('Bearer tok');
    expect(sent.headers.get('content-type')).toBe('image/png');
    expect(decodeURIComponent(sent.headers.get('x-page-title')!)).toBe('Café 🌊 100%');
    expect(decodeURIComponent(sent.headers.get('x-source-url')!)).toBe('https://example.com/a b.png');
    expect(decodeURIComponent(sent.headers.get('x-page-url')!)).toBe('https://example.com/?q=ü');
  });
});

describe('calls from the route declarations', () => {
  it('fill in path params and query, and send JSON bodies', async () => {
    const { requests, client } = recording(() => new Response(JSON.stringify({ items: [], next_cursor: null }), { headers: { 'content-type': 'application/json' } }));
    await client.generations('tok');
    expect(requests[0]!.url).toBe('http://api.test/v1/generations?limit=20');
    await client.license('tok', 'img/1', 'key-1').catch(() => undefined);
    expect(requests[1]!.url).toBe('http://api.test/v1/images/img%2F1/license');
    expect(requests[1]!.headers.get('idempotency-key')).toBe('key-1');
    await client.startEmail('ada@example.test').catch(() => undefined);
    expect(requests[2]!.headers.get('content-type')).toBe('application/json');
    expect(await requests[2]!.json()).toEqual({ email: 'ada@example.test' });
  });

  it('refuse an answer that does not match the declared schema', async () => {
    const { client } = recording(() => new Response(JSON.stringify({ balance: 'lots' }), { headers: { 'content-type': 'application/json' } }));
    await expect(client.credits('tok')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('carry the API’s problem, or say the API cannot be reached', async () => {
    const problem = { type: '/problems/insufficient_credits', title: 'Not enough credits', status: 402, detail: 'This needs 4 credits and 1 is available.', code: 'insufficient_credits', needed: 4, available: 1 };
    const { client } = recording(() => new Response(JSON.stringify(problem), { status: 402, headers: { 'content-type': 'application/problem+json' } }));
    const error = await client.credits('tok').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.problem).toMatchObject({ code: 'insufficient_credits', needed: 4 });
    const down = createApiClient('http://api.test', (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch);
    await expect(down.me('tok')).rejects.toMatchObject({ code: 'network' });
  });

  it('answer a 204 with nothing', async () => {
    const { client } = recording(() => new Response(null, { status: 204 }));
    expect(await client.logout('refresh-1', null)).toBeUndefined();
  });

  it('ask for a live-updates ticket with the token in a header, never in the address', async () => {
    const { requests, client } = recording(() => new Response(JSON.stringify({ url: 'ws://api.test/v1/events?ticket=abc', expires_in: 30 }), { headers: { 'content-type': 'application/json' } }));
    expect(await client.ticket('tok')).toEqual({ url: 'ws://api.test/v1/events?ticket=abc', expires_in: 30 });
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url).toBe('http://api.test/v1/events/ticket');
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer tok');
  });
});

describe('the catalog', () => {
  it('is read whole, following every page the API gives (the library pages its Styles)', async () => {
    const [first, second, third] = builtInModels.map(publicModel);
    const pages: Record<string, { items: unknown[]; next_cursor: string | null }> = {
      '': { items: [first, second], next_cursor: 'c1' },
      c1: { items: [third], next_cursor: null },
    };
    const requests: URL[] = [];
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(new Request(input, init).url);
      requests.push(url);
      return new Response(JSON.stringify(pages[url.searchParams.get('cursor') ?? '']), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const list = await createApiClient('http://api.test', fetcher).models('tok');
    expect(list.items.map((m) => m.id)).toEqual([first!.id, second!.id, third!.id]);
    expect(requests.map((u) => [u.searchParams.get('limit'), u.searchParams.get('cursor')])).toEqual([
      ['100', null],
      ['100', 'c1'],
    ]);
  });
});

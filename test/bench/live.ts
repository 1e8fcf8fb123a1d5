// The live channel's figures for npm run bench, against a Worker that runs the queue consumer:
// how soon a committed change reaches an open socket, and what a 4-image generation tells the
// panel with no request beyond its ticket.
const RUNS = 20;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

type Message = { type: string; data: any; at: string };

export async function measureLive(api: string, email: string, token: string): Promise<string[]> {
  const auth = { authorization: `Bearer ${token}` };
  const { url } = (await (await fetch(`${api}/v1/events/ticket`, { method: 'POST', headers: auth })).json()) as { url: string };
  const socket = new WebSocket(url);
  const waiting: { match: (m: Message) => boolean; resolve: (at: number) => void }[] = [];
  const heard: Message[] = [];
  socket.addEventListener('message', (event) => {
    if (event.data === 'pong') return;
    const message = JSON.parse(String(event.data)) as Message;
    const now = performance.now();
    heard.push(message);
    arrivedAt.set(message, now);
    for (const w of waiting.splice(0)) (w.match(message) ? w.resolve(now) : waiting.push(w));
  });
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', reject);
  });
  const arrivedAt = new Map<Message, number>();
  /** When the first message `match` accepts arrived: already heard, or yet to come. */
  const arrival = (match: (m: Message) => boolean) =>
    new Promise<number>((resolve) => {
      const already = heard.find(match);
      if (already) resolve(arrivedAt.get(already)!);
      else waiting.push({ match, resolve });
    });
  const lines: string[] = [];
  try {
    // A grant: its request sent → its credits.changed at the socket.
    const grants: number[] = [];
    let balance = (await (await fetch(`${api}/v1/credits`, { headers: auth })).json()).balance as number;
    for (let i = 0; i < RUNS; i++) {
      balance += 1;
      const expected = balance;
      const heardAt = arrival((m) => m.type === 'credits.changed' && m.data.balance === expected);
      const sent = performance.now();
      const response = await fetch(`${api}/dev/credits/grant`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, amount: 1 }) });
      if (!response.ok) throw new Error(`a grant failed: ${response.status}`);
      grants.push((await heardAt) - sent);
    }
    grants.sort((a, b) => a - b);
    lines.push(`credits.changed after a grant (request sent → message), ${RUNS} runs   p50 ${percentile(grants, 50).toFixed(1)} ms   p99 ${percentile(grants, 99).toFixed(1)} ms`);

    // A 4-image generation, followed on the socket alone.
    heard.length = 0;
    const body = { model_id: 'flux-schnell', prompt: 'a quay under lanterns', batch: 4, resolution: 'sd', aspect_ratio: '1:1' };
    const sent = performance.now();
    const started = (await (await fetch(`${api}/v1/generations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { id: string };
    const answered = performance.now();
    const done = await Promise.race([
      arrival((m) => m.type === 'generation.updated' && m.data.id === started.id && !['queued', 'running'].includes(m.data.status)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the generation never finished on the socket')), 120_000)),
    ]);
    const updates = heard.filter((m) => m.type === 'generation.updated' && m.data.id === started.id);
    lines.push(
      `a 4-image generation: POST answered in ${(answered - sent).toFixed(0)} ms; ${updates.length} generation.updated messages ` +
        `(${updates.map((m) => `${m.data.status}:${m.data.images.length}`).join(' → ')}), the last ${(done - sent).toFixed(0)} ms after the click; ` +
        `followed with no request while it ran (the ticket was the only one, before)`,
    );

    lines.push(await measureResponsiveness(api, auth, arrival));
  } finally {
    socket.close(1000, 'done');
  }
  return lines;
}

/**
 * /health asked one request after another while a batch of 12 full-size (1024 px) images
 * renders offline in the same Worker: how long the API keeps a caller waiting.
 */
async function measureResponsiveness(api: string, auth: Record<string, string>, arrival: (match: (m: Message) => boolean) => Promise<number>): Promise<string> {
  const body = { model_id: 'flux-schnell', prompt: 'a harbour wall in a storm', batch: 12, resolution: 'hd', aspect_ratio: '1:1' };
  const response = await fetch(`${api}/v1/generations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { id } = (await response.json()) as { id: string };
  let finished = false;
  const done = arrival((m) => m.type === 'generation.updated' && m.data.id === id && !['queued', 'running'].includes(m.data.status)).then((at) => {
    finished = true;
    return at;
  });
  const started = performance.now();
  const waits: number[] = [];
  while (!finished && performance.now() - started < 180_000) {
    const sent = performance.now();
    await (await fetch(`${api}/health`)).arrayBuffer();
    waits.push(performance.now() - sent);
    await new Promise((r) => setTimeout(r, 5));
  }
  const ended = await Promise.race([done, new Promise<null>((r) => setTimeout(() => r(null), 1))]);
  if (ended === null) throw new Error('the batch of 12 did not finish in 3 minutes');
  waits.sort((a, b) => a - b);
  return (
    `GET /health while a batch of 12 images (1024 px) renders offline in the same Worker, ${waits.length} requests over ${((ended - started) / 1000).toFixed(1)} s: ` +
    `p50 ${percentile(waits, 50).toFixed(1)} ms   p99 ${percentile(waits, 99).toFixed(1)} ms (goal < 100 ms)   max ${waits[waits.length - 1]!.toFixed(1)} ms`
  );
}

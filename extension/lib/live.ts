// The panel's live connection: opens the user's channel with a short-lived ticket (never the
// access token in a URL), checks every message against the API's own schemas, hands each to
// its subscribers, and reconnects with backoff. `onDown`/`onUp` are where the panel starts and
// stops polling: polling is only the fallback while the channel is down.
import { type EventData, type EventTicket, type EventType, LiveMessage } from '../../shared/api/events';
import { ApiError } from './problems';

export interface LiveOptions {
  /** A fresh ticket, e.g. `() => withToken((token) => api.ticket(token))`. */
  ticket(): Promise<EventTicket>;
  /** The channel went down (or could not be opened): poll until `onUp`. */
  onDown?(): void;
  /** The channel is open: stop polling, and read once what may have changed meanwhile. */
  onUp?(): void;
  /** First and longest wait before reconnecting, in ms (doubling in between, with jitter). */
  backoff?: { initialMs: number; maxMs: number };
  /** How often to ping an open channel (keeps proxies from dropping a quiet socket). */
  pingMs?: number;
  /** The WebSocket to use (the browser's; tests give a fake). */
  WebSocket?: new (url: string) => WebSocket;
  random?: () => number;
}

export interface LiveConnection {
  /** Whether the channel is open now. */
  readonly connected: boolean;
  /** Whether it is known to be down (not merely still connecting): the time to poll. */
  readonly down: boolean;
  /** Calls `fn(true)` when the channel comes up and `fn(false)` when it goes down; returns the unwatch. */
  watch(fn: (up: boolean) => void): () => void;
  /** Calls `fn` with each message of `type` (its data as the matching GET reads); returns the unsubscribe. */
  subscribe<T extends EventType>(type: T, fn: (data: EventData<T>, at: string) => void): () => void;
  /** Closes the channel for good (signing out, the panel closing). */
  close(): void;
}

const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000 };
const DEFAULT_PING_MS = 25_000;

/** Opens the live channel now, and keeps it open until `close()`. */
export function connectLive(options: LiveOptions): LiveConnection {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const random = options.random ?? Math.random;
  const subscribers = new Map<EventType, Set<(data: never, at: string) => void>>();
  let socket: WebSocket | null = null;
  let connected = false;
  let closed = false;
  let failures = 0;
  /** What the hooks were last told, so each change is told once. */
  let told: 'up' | 'down' | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;
  const watchers = new Set<(up: boolean) => void>();

  function tell(state: 'up' | 'down') {
    if (told === state) return;
    told = state;
    (state === 'up' ? options.onUp : options.onDown)?.();
    for (const fn of watchers) fn(state === 'up');
  }

  function dispatch(raw: unknown) {
    if (raw === 'pong') return;
    let parsed;
    try {
      parsed = LiveMessage.safeParse(JSON.parse(String(raw)));
    } catch {
      parsed = null;
    }
    // A message this version does not know (a newer type or shape) is skipped, not fatal.
    if (!parsed?.success) return void console.warn('a live message was not understood', raw);
    const message = parsed.data;
    for (const fn of subscribers.get(message.type) ?? []) {
      try {
        fn(message.data as never, message.at);
      } catch (error) {
        console.error(`a ${message.type} subscriber failed`, error);
      }
    }
  }

  /** Waits longer after each failure in a row: initial × 2^n up to the maximum, half of it random. */
  function scheduleReconnect() {
    if (closed) return;
    const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
    failures++;
    retry = setTimeout(() => void open(), ceiling / 2 + (random() * ceiling) / 2);
  }

  function dropped() {
    socket = null;
    connected = false;
    clearInterval(ping);
    tell('down');
    scheduleReconnect();
  }

  async function open() {
    if (closed) return;
    let ticket: EventTicket;
    try {
      ticket = await options.ticket();
    } catch (error) {
      tell('down');
      // Signed out: there is no channel to open until the panel connects again.
      if (error instanceof ApiError && error.status === 401) return;
      return scheduleReconnect();
    }
    if (closed) return;
    const current = new Socket(ticket.url);
    socket = current;
    current.addEventListener('open', () => {
      if (socket !== current) return;
      connected = true;
      failures = 0;
      ping = setInterval(() => current.send('ping'), options.pingMs ?? DEFAULT_PING_MS);
      tell('up');
    });
    current.addEventListener('message', (event) => {
      if (socket === current) dispatch((event as MessageEvent).data);
    });
    // A refused ticket or a lost network ends in `close` too (after `error`).
    current.addEventListener('close', () => {
      if (socket === current) dropped();
    });
  }

  void open();

  return {
    get connected() {
      return connected;
    },
    get down() {
      return told === 'down' && !closed;
    },
    watch(fn) {
      watchers.add(fn);
      return () => void watchers.delete(fn);
    },
    subscribe(type, fn) {
      let set = subscribers.get(type);
      if (!set) subscribers.set(type, (set = new Set()));
      set.add(fn as (data: never, at: string) => void);
      return () => void set.delete(fn as (data: never, at: string) => void);
    },
    close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(ping);
      const current = socket;
      socket = null;
      connected = false;
      current?.close(1000, 'closed');
    },
  };
}

/**
 * The polling fallback: runs `poll` while the channel is down, waiting longer after each
 * round (initial, doubling, up to the maximum), and stops the moment it is back up. Returns
 * the stop.
 */
export function pollWhileDown(connection: Pick<LiveConnection, 'down' | 'watch'>, poll: () => Promise<unknown>, backoff = { initialMs: 1000, maxMs: 16_000 }): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wait = backoff.initialMs;
  let stopped = false;
  let polling = false;

  async function round() {
    timer = undefined;
    if (stopped || polling || !connection.down) return;
    polling = true;
    try {
      await poll();
    } catch {
      // A failed round is tried again after the next wait, like any other.
    } finally {
      polling = false;
    }
    if (stopped || !connection.down) return;
    timer = setTimeout(() => void round(), wait);
    wait = Math.min(backoff.maxMs, wait * 2);
  }

  const unwatch = connection.watch((up) => {
    clearTimeout(timer);
    timer = undefined;
    wait = backoff.initialMs;
    if (!up) void round();
  });
  if (connection.down) void round();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unwatch();
  };
}

// One Durable Object per user: it holds that user's live sockets through the hibernation API
// (an idle channel costs nothing), lets each ticket open one socket only, and broadcasts what
// the Worker publishes to every socket the user has open.
import { DurableObject } from 'cloudflare:workers';
import type { LiveMessage } from '../../shared/api/events';
import type { Bindings } from '../env';
import { problemResponse } from '../http/problem';

/** Headers the Worker sets on the upgrade it hands over, after verifying the ticket. */
export const TICKET_ID_HEADER = 'x-ticket-id';
export const TICKET_EXPIRES_HEADER = 'x-ticket-expires';

const USED = 'used-ticket:';

export class UserEvents extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    // Keep-alive pings are answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** The upgrade, reached only through the Worker's /v1/events once the ticket verified. */
  override async fetch(request: Request): Promise<Response> {
    const ticketId = request.headers.get(TICKET_ID_HEADER);
    const expiresAt = Number(request.headers.get(TICKET_EXPIRES_HEADER));
    if (!ticketId || !Number.isFinite(expiresAt)) return problemResponse('unauthorized', 'This live-updates ticket is not valid. Ask for a new one.');
    // One request at a time runs here (input gates), so this check-then-record cannot race.
    if ((await this.ctx.storage.get<number>(USED + ticketId)) !== undefined) {
      return problemResponse('unauthorized', 'This live-updates ticket was already used. Ask for a new one.');
    }
    await this.ctx.storage.put(USED + ticketId, expiresAt);
    await this.forgetExpiredTickets();
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends a message to every socket of this user; answers how many it reached. */
  async publish(message: LiveMessage): Promise<number> {
    const text = JSON.stringify(message);
    let reached = 0;
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(text);
        reached++;
      } catch {
        // A socket closing right now: the others still hear it.
      }
    }
    return reached;
  }

  /** The channel speaks one way; the panel sends only pings (answered above), so other text is ignored. */
  override webSocketMessage(): void {}

  override webSocketClose(socket: WebSocket, code: number, reason: string): void {
    try {
      socket.close(code, reason);
    } catch {
      // Already closed by the runtime's automatic reply.
    }
  }

  override webSocketError(socket: WebSocket, error: unknown): void {
    console.error('a live socket failed', error);
    try {
      socket.close(1011, 'error');
    } catch {
      // Already gone.
    }
  }

  /** Used ticket ids matter only until their ticket would have expired anyway. */
  private async forgetExpiredTickets() {
    const now = Date.now() / 1000;
    const used = await this.ctx.storage.list<number>({ prefix: USED });
    const expired = [...used].filter(([, expiresAt]) => expiresAt < now).map(([key]) => key);
    if (expired.length) await this.ctx.storage.delete(expired);
  }
}

// The caller's address for per-network limits: Cloudflare sets CF-Connecting-IP (and wrangler
// dev passes the socket's); a request without it (a test calling the Worker directly) counts
// as one local client.
import type { Context } from 'hono';

export const LOCAL_CLIENT = 'local';

export const clientIp = (c: Context) => c.req.header('cf-connecting-ip')?.trim() || LOCAL_CLIENT;

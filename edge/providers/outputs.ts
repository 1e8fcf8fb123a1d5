// Fetching what a provider made, from the address it reported. A webhook names that address,
// so it is not trusted: only the provider's declared output hosts (configuration), over https
// on the default port, never an IP literal (which covers every private range), and redirects
// followed only while they stay on those hosts. Development adds this machine's loopback, for
// a local provider serving its outputs over http.
import type { Fetcher } from './http';

export interface OutputHosts {
  /** Exact host names, or `*.example.com` for any subdomain of example.com. */
  hosts: readonly string[];
  /** Development only: 127.0.0.1, localhost and [::1], over http or https, any port. */
  loopback?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_REDIRECTS = 3;

/** The URL parser writes every IPv4 form (decimal, hex, short) as dotted quads, IPv6 in brackets. */
export const isIpLiteral = (hostname: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[');

/** A comma-separated host list from configuration, or the provider's own defaults when unset. */
export function hostList(value: string | undefined, defaults: readonly string[]): string[] {
  const hosts = (value ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  return hosts.length ? hosts : [...defaults];
}

export function outputAllowed(url: URL, allowed: OutputHosts): boolean {
  const host = url.hostname.toLowerCase();
  if (url.username || url.password) return false;
  if (allowed.loopback && LOOPBACK.has(host)) return url.protocol === 'http:' || url.protocol === 'https:';
  if (url.protocol !== 'https:' || url.port !== '' || isIpLiteral(host)) return false;
  return allowed.hosts.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern));
}

/**
 * The output's response, or null when its address (or a redirect's) is not one the provider
 * serves outputs from: nothing is then asked of that address at all.
 */
export async function fetchOutput(fetcher: Fetcher, address: string, allowed: OutputHosts, init: { signal?: AbortSignal } = {}): Promise<Response | null> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!outputAllowed(url, allowed)) return null;
    const response = await fetcher(url.href, { redirect: 'manual', signal: init.signal });
    if (response.status < 300 || response.status >= 400) return response;
    const location = response.headers.get('location');
    await response.body?.cancel();
    if (!location) return null;
    url = new URL(location, url);
  }
  return null;
}

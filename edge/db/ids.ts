// Opaque, unguessable ids that still sort by creation time: a prefix, 48 bits of
// milliseconds and 100 random bits, in Crockford base32.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = alphabet[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

export function newId(prefix: string, now = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(13));
  let random = 0n;
  for (const b of bytes) random = (random << 8n) | BigInt(b);
  return `${prefix}_${base32(BigInt(now), 10)}${base32(random >> 4n, 20)}`;
}

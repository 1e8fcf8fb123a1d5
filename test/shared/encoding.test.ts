// Bytes as text: the one base64, base64url and hex of the project, and constant-time equality.
import { describe, expect, it } from 'vitest';
import { equalInConstantTime, fromBase64, fromBase64Url, fromHex, toBase64, toBase64Url, toHex } from '../../shared/encoding';

const every = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('encoding bytes as text', () => {
  it('round-trips every byte value through base64, base64url and hex, as the platform encodes them', () => {
    expect(fromBase64(toBase64(every))).toEqual(every);
    expect(toBase64(every)).toBe(Buffer.from(every).toString('base64'));
    expect(toBase64Url(every)).toBe(Buffer.from(every).toString('base64url'));
    expect(fromBase64Url(toBase64Url(every))).toEqual(every);
    expect(toHex(every)).toBe(Buffer.from(every).toString('hex'));
    expect(fromHex(toHex(every))).toEqual(every);
  });

  it('encodes large buffers (over the chunk size) whole', () => {
    const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 31) & 255);
    expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('refuses text that is not hex', () => {
    expect(fromHex('abc')).toBeNull();
    expect(fromHex('zz')).toBeNull();
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it('compares strings and bytes by content, and different lengths as unequal', () => {
    expect(equalInConstantTime('signature', 'signature')).toBe(true);
    expect(equalInConstantTime('signature', 'signaturf')).toBe(false);
    expect(equalInConstantTime('sig', 'signature')).toBe(false);
    expect(equalInConstantTime(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(equalInConstantTime('é', 'e')).toBe(false);
  });
});

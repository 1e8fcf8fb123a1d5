// The license policy as one table: model kind × verified × licensed → what the image allows.
import { describe, expect, it } from 'vitest';
import { imagePolicy, modelLicense } from '../../shared/license';

describe('the license policy', () => {
  const table = [
    // kind, verified, licensed → license, watermarked, downloadable
    ['base', true, false, 'free', false, true],
    ['agentic', true, false, 'free', false, true],
    ['private', false, false, 'per_image', true, false],
    ['private', false, true, 'per_image', false, true],
    ['artist', true, false, 'per_image', true, false],
    ['artist', true, true, 'per_image', false, true],
    ['artist', false, false, 'not_available', true, false],
  ] as const;

  it.each(table)('%s (verified %s, licensed %s): %s, watermarked %s, downloadable %s', (kind, verified, licensed, license, watermarked, downloadable) => {
    expect(modelLicense(kind, verified)).toBe(license);
    expect(imagePolicy({ kind: 'generated', modelLicense: license, licensed })).toEqual({ license, licensed, watermarked, downloadable });
  });

  it('leaves uploads as their owner’s own', () => {
    expect(imagePolicy({ kind: 'upload' })).toEqual({ watermarked: false, license: 'free', licensed: false, downloadable: true });
  });
});

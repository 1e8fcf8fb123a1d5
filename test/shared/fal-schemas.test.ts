// The fal fake's endpoint schemas track the installed @fal-ai/client: regenerated here from its
// published endpoint types and compared with the committed file the fake validates against.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { falEndpoints, falSchemas, render, schemaFile } from '../../scripts/fal-schemas.ts';

describe('fal endpoint schemas', () => {
  it('match what @fal-ai/client publishes for every endpoint the catalog routes to (run `node scripts/fal-schemas.ts` when not)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(render(falSchemas()));
  }, 60_000);

  it('cover the catalog’s fal endpoints, edits’ operations and the Style endpoints', () => {
    expect(falEndpoints()).toEqual(
      expect.arrayContaining(['fal-ai/flux/schnell', 'fal-ai/flux-pro/v1/fill', 'fal-ai/flux/dev/image-to-image', 'fal-ai/esrgan', 'fal-ai/flux-lora-fast-training', 'fal-ai/flux-lora']),
    );
  });

  it('refuse an endpoint the client does not publish, so a catalog typo cannot pass', () => {
    expect(() => falSchemas(['fal-ai/flux/schnel'])).toThrow(/publishes no endpoint fal-ai\/flux\/schnel/);
  }, 60_000);

  it('read required fields, enums and nested LoRA weights from the types', () => {
    const { input } = falSchemas(['fal-ai/flux-lora'])['fal-ai/flux-lora']!;
    expect(input).toMatchObject({ required: ['prompt'], additionalProperties: false, properties: { loras: { type: 'array', items: { required: ['path'] } }, output_format: { enum: ['jpeg', 'png'] } } });
  }, 60_000);
});

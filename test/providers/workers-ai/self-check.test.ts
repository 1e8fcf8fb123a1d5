// The deploy-time self-check of Workers AI: the binding, and each model the catalog and the
// captioner use among the account's models.
import { describe, expect, it } from 'vitest';
import { createWorkersAiFake } from '../../fakes/workers-ai';
import { selfCheck } from '../admin-support';
import { useWorkersAi } from './support';

useWorkersAi();

describe('the provider self-check with Workers AI', () => {
  it('finds the binding and every model it runs', async () => {
    const { item } = await selfCheck('workers-ai');
    expect(item).toEqual({
      subject: 'workers-ai',
      status: 'ok',
      checks: [
        { name: 'binding', ok: true, detail: 'The AI binding is present.' },
        { name: '@cf/black-forest-labs/flux-1-schnell', ok: true, detail: '@cf/black-forest-labs/flux-1-schnell is available.' },
        { name: '@cf/llava-hf/llava-1.5-7b-hf', ok: true, detail: '@cf/llava-hf/llava-1.5-7b-hf is available.' },
      ],
    });
  });

  it('says which model the account cannot run', async () => {
    const fake = createWorkersAiFake();
    const withoutLlava = { ...fake.binding, models: async (p?: { search?: string }) => (await fake.binding.models(p)).filter((m) => !m.name.includes('llava')) };
    const { body, item } = await selfCheck('workers-ai', { AI: withoutLlava });
    expect(body.ok).toBe(false);
    expect(item.checks.find((c: { name: string }) => c.name.includes('llava'))).toMatchObject({ ok: false, detail: 'Workers AI has no model @cf/llava-hf/llava-1.5-7b-hf: fix the catalog entry.' });
  });

  it('says so when the binding is not declared', async () => {
    const { item } = await selfCheck('workers-ai', { AI: undefined });
    expect(item).toMatchObject({ status: 'not_configured', checks: [{ ok: true, detail: expect.stringMatching(/remote-only/) }] });
  });
});

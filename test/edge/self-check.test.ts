// The deploy-time self-check for what is not a fake-backed provider here: a designer's
// ComfyUI, outgoing mail, and a deployment with nothing configured.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { selfCheck } from '../providers/admin-support';

// A ComfyUI at comfy.example.test answering /system_stats as ComfyUI does; another host that is down.
beforeAll(() => {
  const original = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(new Request(input, init).url);
    if (url.host === 'comfy.example.test' && url.pathname === '/system_stats') {
      return Promise.resolve(Response.json({ system: { os: 'posix', comfyui_version: '0.3.60', python_version: '3.12.3' }, devices: [{ name: 'cuda:0 NVIDIA GeForce RTX 4090', type: 'cuda' }] }));
    }
    if (url.host === 'comfy-down.example.test') return Promise.reject(new TypeError('Network connection lost.'));
    return original(input, init);
  });
});
afterAll(() => vi.unstubAllGlobals());

describe('the provider self-check', () => {
  it('with nothing configured, says what runs instead and finds no problem', async () => {
    const { body } = await selfCheck('fal', { PUBLIC_API_URL: undefined });
    expect(body.ok).toBe(true);
    expect(body.items.map((i: { subject: string; status: string }) => [i.subject, i.status])).toEqual([
      ['fal', 'not_configured'],
      ['replicate', 'not_configured'],
      ['workers-ai', 'not_configured'],
      ['comfyui', 'not_configured'],
      ['mail', 'not_configured'],
      ['webhooks', 'not_configured'],
    ]);
  });

  it('names the ComfyUI that answered, and says when it does not', async () => {
    const up = await selfCheck('comfyui', { COMFYUI_URL: 'https://comfy.example.test' });
    expect(up.item).toEqual({ subject: 'comfyui', status: 'ok', checks: [{ name: 'server', ok: true, detail: 'ComfyUI 0.3.60 answered (cuda:0 NVIDIA GeForce RTX 4090).' }] });
    const down = await selfCheck('comfyui', { COMFYUI_URL: 'https://comfy-down.example.test' });
    expect(down.body.ok).toBe(false);
    expect(down.item.checks[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/^ComfyUI could not be reached at https:\/\/comfy-down\.example\.test: Network connection lost\./) });
  });

  it('says which mail setting is missing', async () => {
    const { item } = await selfCheck('mail', { MAIL_API_URL: 'https://mail.example.test/emails', MAIL_API_KEY: 'key' });
    expect(item).toMatchObject({ status: 'problem', checks: [{ ok: false, detail: expect.stringMatching(/^MAIL_FROM is not set: mail stays in the outbox/) }] });
    const complete = await selfCheck('mail', { MAIL_API_URL: 'https://mail.example.test/emails', MAIL_API_KEY: 'key', MAIL_FROM: 'studio@example.test' });
    expect(complete.item.status).toBe('ok');
  });
});

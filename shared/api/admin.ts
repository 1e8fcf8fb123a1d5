// The deploy-time self-check: each configured provider tried with a harmless call, and what is
// wrong said in words an operator can act on.
import { z } from 'zod';

export const selfCheckSubjects = ['fal', 'replicate', 'workers-ai', 'comfyui', 'mail', 'webhooks'] as const;

export const ProviderCheck = z.object({
  /** What was checked: a provider, outgoing mail, or where providers send their webhooks. */
  subject: z.enum(selfCheckSubjects),
  /** `ok`: every check passed; `problem`: one failed (see `checks`); `not_configured`: nothing set for it here. */
  status: z.enum(['ok', 'problem', 'not_configured']),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
});
export type ProviderCheck = z.infer<typeof ProviderCheck>;

export const ProviderChecks = z.object({
  /** True when nothing that is configured has a problem. */
  ok: z.boolean(),
  checked_at: z.string(),
  items: z.array(ProviderCheck),
});
export type ProviderChecks = z.infer<typeof ProviderChecks>;

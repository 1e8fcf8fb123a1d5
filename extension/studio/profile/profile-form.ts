// The profile form's rules, without the page: what changed since the last save, checked by the
// contract's own schema, with each field's problem in a designer's words.
import type { z } from 'zod';
import type { FieldError } from '../../../shared/api/problem';
import { type Profile, UpdateProfileBody } from '../../../shared/api/styles';

export const MAX_LINKS = 5;
export const MAX_BIO = 500;

export type ProfileForm = Profile;
export type ProfileChange = z.input<typeof UpdateProfileBody>;

/** Field → what is wrong with it; keys are the API's paths (`handle`, `links.2.url`). */
export type FieldProblems = Record<string, string>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what differs from the saved profile (the API takes any subset), trimmed as the API trims. */
export function changesOf(saved: Profile, form: ProfileForm): ProfileChange {
  const now = {
    handle: form.handle.trim().toLowerCase(),
    display_name: form.display_name.trim(),
    bio: form.bio.trim(),
    avatar_image_id: form.avatar_image_id,
    links: form.links.map((l) => ({ label: l.label.trim(), url: l.url.trim() })),
  };
  const change: ProfileChange = {};
  if (now.handle !== saved.handle) change.handle = now.handle;
  if (now.display_name !== saved.display_name) change.display_name = now.display_name;
  if (now.bio !== saved.bio) change.bio = now.bio;
  if (now.avatar_image_id !== saved.avatar_image_id) change.avatar_image_id = now.avatar_image_id;
  if (!same(now.links, saved.links)) change.links = now.links;
  return change;
}

/** Our words for what the schema's own messages say less plainly. */
function wordsFor(path: string, message: string): string {
  if (path === 'handle') return message;
  if (path === 'display_name') return 'Give a display name of up to 60 characters.';
  if (path === 'bio') return `Keep the bio to ${MAX_BIO} characters.`;
  if (path === 'links') return `At most ${MAX_LINKS} links.`;
  if (/^links\.\d+\.label$/.test(path)) return 'Give the link a label of up to 40 characters.';
  if (/^links\.\d+\.url$/.test(path)) return 'Give a full web address starting with https:// (or http://).';
  return message;
}

/** What the contract would refuse in this change, before it is sent. */
export function problemsOf(change: ProfileChange): FieldProblems {
  const parsed = UpdateProfileBody.safeParse(change);
  if (parsed.success) return {};
  return fieldProblems(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
}

/** The API's field errors (or ours) by field, the first for each. */
export function fieldProblems(errors: FieldError[]): FieldProblems {
  const problems: FieldProblems = {};
  for (const e of errors) problems[e.path] ??= wordsFor(e.path, e.message);
  return problems;
}

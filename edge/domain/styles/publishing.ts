// Publishing a Style: a public Style whose current version passed its quiz goes to moderation
// with its library title, a title image and examples chosen from its own generated results,
// and the creator's copyright statement. Nothing else may enter the moderators' queue.
import { and, eq, exists, inArray } from 'drizzle-orm';
import type { FieldError } from '../../../shared/api/problem';
import type { Style } from '../../../shared/api/styles';
import type { CopyrightStatus, StyleStatus } from '../../../shared/statuses';
import { database } from '../../db/client';
import { images, quizResults, type StyleRow, styles } from '../../db/schema';
import { iso } from '../../db/time';
import { conflict, validationFailed } from '../errors';
import { ownStyleRow, styleView } from './view';

export interface PublishInput {
  userId: string;
  styleId: string;
  title: string;
  title_image_id: string;
  example_image_ids: string[];
  copyright_status: CopyrightStatus;
  now: Date;
}

/** Why a Style in this status cannot be submitted, in the creator's words. */
const notPublishable: Record<Exclude<StyleStatus, 'ready'>, string> = {
  training: 'This Style is still training. When it is done, take its quiz; a Style that passes can be published.',
  quiz: 'Take the quiz first: score the sample images, and a Style that passes can be published.',
  in_moderation: 'This Style is already waiting for a moderator. You will get an email with the decision.',
  published: 'This Style is already published in the library.',
  rejected: 'This version was not accepted by moderation. Retrain it (free), pass the quiz, then publish again.',
  failed: 'The last training failed. Retrain it, pass the quiz, then publish.',
};

const quizPassed = (d: ReturnType<typeof database>, style: StyleRow) =>
  exists(
    d
      .select({ style_id: quizResults.style_id })
      .from(quizResults)
      .where(and(eq(quizResults.style_id, style.id), eq(quizResults.version, style.version), eq(quizResults.outcome, 'pass'))),
  );

/** The refusal for a Style that is not a public one in `ready` with a passed quiz, or null. */
async function refusalOf(d: ReturnType<typeof database>, style: StyleRow): Promise<string | null> {
  if (style.visibility !== 'public') return 'Private Styles are not published: they stay yours alone. Train a public Style to share it in the library.';
  if (style.status !== 'ready') return notPublishable[style.status];
  const passed = await d
    .select({ outcome: quizResults.outcome })
    .from(quizResults)
    .where(and(eq(quizResults.style_id, style.id), eq(quizResults.version, style.version)))
    .get();
  if (!passed) return 'Take the quiz first: score the sample images, and a Style that passes can be published.';
  if (passed.outcome !== 'pass') return 'This version did not pass its quiz. Retrain it (free) and pass the quiz before publishing.';
  return null;
}

/**
 * (How many examples at most, the body's schema says.) The title image and examples must be the owner's own results generated with this Style, each
 * once. Another user's image and an image that does not exist get the same words, so the
 * answer reveals nothing about images that are not yours.
 */
async function imageProblems(d: ReturnType<typeof database>, style: StyleRow, input: PublishInput): Promise<FieldError[]> {
  const chosen = [
    { path: 'title_image_id', id: input.title_image_id },
    ...input.example_image_ids.map((id, i) => ({ path: `example_image_ids.${i}`, id })),
  ];
  const found = await d
    .select({ id: images.id })
    .from(images)
    .where(
      and(
        inArray(images.id, [...new Set(chosen.map((c) => c.id))]),
        eq(images.owner_id, input.userId),
        eq(images.kind, 'generated'),
        eq(images.model_id, style.id),
      ),
    );
  const made = new Set(found.map((f) => f.id));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const { path, id } of chosen) {
    if (seen.has(id)) {
      errors.push({ path, message: 'This image is chosen already: each image can be shown once, as the title image or as one example.' });
    } else if (!made.has(id)) {
      errors.push({ path, message: `This is not one of your images made with “${style.name}”. Choose from the results you generated with this Style.` });
    }
    seen.add(id);
  }
  return errors;
}

/**
 * Submits the owner's Style for moderation: `in_moderation` with its publication, in one
 * guarded update that lands only while the Style is still a public `ready` one with this
 * version's quiz passed (a retrain or a second submission at the same time finds it changed).
 */
export async function submitForModeration(db: D1Database, input: PublishInput): Promise<Style> {
  const d = database(db);
  const style = await ownStyleRow(db, input.userId, input.styleId);
  const refusal = await refusalOf(d, style);
  if (refusal) throw conflict(refusal);
  const errors = await imageProblems(d, style, input);
  if (errors.length) throw validationFailed(errors, 'The title image and examples must be your own results made with this Style.');
  const now = iso(input.now);
  const submitted = await d
    .update(styles)
    .set({
      status: 'in_moderation',
      title: input.title,
      title_image_id: input.title_image_id,
      example_image_ids: JSON.stringify(input.example_image_ids),
      copyright_status: input.copyright_status,
      submitted_at: now,
      published_at: null,
      updated_at: now,
    })
    .where(
      and(
        eq(styles.id, style.id),
        eq(styles.owner_id, input.userId),
        eq(styles.visibility, 'public'),
        eq(styles.status, 'ready'),
        eq(styles.version, style.version),
        quizPassed(d, style),
      ),
    )
    .returning()
    .get();
  if (!submitted) {
    const now = await ownStyleRow(db, input.userId, input.styleId);
    throw conflict((await refusalOf(d, now)) ?? 'This Style changed while you were publishing it. Look at it again and retry.');
  }
  return styleView(db, submitted);
}

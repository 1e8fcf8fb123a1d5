// The development seed: a demo creator with published Artist Styles (one verified, one not),
// a private Style for the development account, and a moderator, so licensing, the library and
// moderation run locally. Safe to run again: nothing is added twice.
import { and, eq, isNull } from 'drizzle-orm';
import { promptComponents } from '../../shared/style/prompt';
import { database } from '../db/client';
import { newId } from '../db/ids';
import { styles, users } from '../db/schema';
import { iso } from '../db/time';
import { findOrCreateUser } from './accounts';

/** Signs in to the moderation console (/admin) with an emailed code, like everyone else. */
export const DEMO_MODERATOR = { email: 'moderator@exactly.local' };

export const DEMO_CREATOR = { email: 'creator@exactly.local', handle: 'mira', display_name: 'Mira Okafor' };

const demoStyles = [
  { name: 'Dusk Harbour', owner: 'creator', visibility: 'public', verified: true, description: 'Warm harbour light at the blue hour, amber and teal.', look: 'harbour at dusk, warm cinematic, amber teal' },
  { name: 'Paper Cut', owner: 'creator', visibility: 'public', verified: false, description: 'Flat layered paper shapes in soft pastels.', look: 'pastel paper, soft, muted, coral cream' },
  { name: 'My Ink Studies', owner: 'dev', visibility: 'private', verified: false, description: 'Ink wash studies, black and white.', look: 'ink wash, black and white, soft, grey' },
] as const;

export async function seedDevelopment(db: D1Database, devEmail: string, now: Date): Promise<{ styles: number }> {
  const d = database(db);
  const creator = await findOrCreateUser(db, DEMO_CREATOR.email, now, DEMO_CREATOR);
  await d
    .update(users)
    .set({ handle: DEMO_CREATOR.handle, display_name: DEMO_CREATOR.display_name })
    .where(and(eq(users.id, creator.id), isNull(users.handle)));
  const moderator = await findOrCreateUser(db, DEMO_MODERATOR.email, now);
  // Made a moderator once; an admin stays an admin.
  await d
    .update(users)
    .set({ role: 'moderator' })
    .where(and(eq(users.id, moderator.id), eq(users.role, 'user')));
  const dev = await findOrCreateUser(db, devEmail, now);
  // The unique (owner, name) keeps a second run from adding a Style twice.
  await d
    .insert(styles)
    .values(
      demoStyles.map((style): typeof styles.$inferInsert => ({
        id: newId('sty'),
        owner_id: style.owner === 'creator' ? creator.id : dev.id,
        name: style.name,
        description: style.description,
        visibility: style.visibility,
        status: style.visibility === 'public' ? 'published' : 'ready',
        verified: style.verified,
        components: JSON.stringify(promptComponents(style.look)),
        created_at: iso(now),
        updated_at: iso(now),
      })),
    )
    .onConflictDoNothing();
  return { styles: demoStyles.length };
}

// The development seed: a demo creator with published Artist Styles (one verified, one not)
// and a private Style for the development account, so licensing and the library run locally
// before training exists. Safe to run again: nothing is added twice.
import { promptComponents } from '../../shared/style/prompt';
import { newId } from '../db/ids';
import { iso } from '../db/time';
import { findOrCreateUser } from './accounts';

export const DEMO_CREATOR = { email: 'creator@exactly.local', handle: 'mira', display_name: 'Mira Okafor' };

const demoStyles = [
  { name: 'Dusk Harbour', owner: 'creator', visibility: 'public', verified: true, description: 'Warm harbour light at the blue hour, amber and teal.', look: 'harbour at dusk, warm cinematic, amber teal' },
  { name: 'Paper Cut', owner: 'creator', visibility: 'public', verified: false, description: 'Flat layered paper shapes in soft pastels.', look: 'pastel paper, soft, muted, coral cream' },
  { name: 'My Ink Studies', owner: 'dev', visibility: 'private', verified: false, description: 'Ink wash studies, black and white.', look: 'ink wash, black and white, soft, grey' },
] as const;

export async function seedDevelopment(db: D1Database, devEmail: string, now: Date): Promise<{ styles: number }> {
  const creator = await findOrCreateUser(db, DEMO_CREATOR.email, now);
  await db
    .prepare('UPDATE users SET handle = ?1, display_name = ?2 WHERE id = ?3 AND handle IS NULL')
    .bind(DEMO_CREATOR.handle, DEMO_CREATOR.display_name, creator.id)
    .run();
  const dev = await findOrCreateUser(db, devEmail, now);
  await db.batch(
    demoStyles.map((style) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO styles (id, owner_id, name, description, visibility, status, verified, components, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)`,
        )
        .bind(
          newId('sty'),
          style.owner === 'creator' ? creator.id : dev.id,
          style.name,
          style.description,
          style.visibility,
          style.visibility === 'public' ? 'published' : 'ready',
          style.verified ? 1 : 0,
          JSON.stringify(promptComponents(style.look)),
          iso(now),
        ),
    ),
  );
  return { styles: demoStyles.length };
}

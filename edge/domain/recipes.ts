// Recipes: a user's saved Agentic blends, kept as blended component values. Names are unique
// per owner (the index says so, so two racing saves of one name give one recipe and a 409).
import { and, count, desc, eq } from 'drizzle-orm';
import type { CreateRecipeBody, Recipe } from '../../shared/api/recipes';
import { RECIPES_MAX } from '../../shared/api/recipes';
import { completeComponents, type StyleComponents } from '../../shared/style/components';
import { database } from '../db/client';
import { violatesUnique } from '../db/constraints';
import { newId } from '../db/ids';
import { type RecipeRow, recipes } from '../db/schema';
import { iso } from '../db/time';
import { conflict, DomainError, notFound } from './errors';

const toRecipe = (row: RecipeRow): Recipe => ({
  id: row.id,
  name: row.name,
  components: completeComponents(JSON.parse(row.components) as StyleComponents),
  created_at: row.created_at,
});

/** The caller's recipe, or undefined where it is not theirs or not there (the two look alike). */
export async function ownRecipe(db: D1Database, userId: string, id: string): Promise<Recipe | undefined> {
  const row = await database(db)
    .select()
    .from(recipes)
    .where(and(eq(recipes.id, id), eq(recipes.user_id, userId)))
    .get();
  return row ? toRecipe(row) : undefined;
}

export async function getRecipe(db: D1Database, userId: string, id: string): Promise<Recipe> {
  const recipe = await ownRecipe(db, userId, id);
  if (!recipe) throw notFound('That recipe');
  return recipe;
}

export async function listRecipes(db: D1Database, userId: string): Promise<Recipe[]> {
  const rows = await database(db).select().from(recipes).where(eq(recipes.user_id, userId)).orderBy(desc(recipes.created_at), desc(recipes.id));
  return rows.map(toRecipe);
}

export async function createRecipe(db: D1Database, userId: string, body: CreateRecipeBody, now: Date): Promise<Recipe> {
  const d = database(db);
  const held = await d.select({ n: count() }).from(recipes).where(eq(recipes.user_id, userId)).get();
  if ((held?.n ?? 0) >= RECIPES_MAX) {
    throw new DomainError('validation_failed', `You have ${RECIPES_MAX} recipes, the most one account keeps. Delete one you no longer use first.`, {
      errors: [{ path: 'name', message: `At most ${RECIPES_MAX} recipes` }],
    });
  }
  const row: RecipeRow = { id: newId('rcp'), user_id: userId, name: body.name, components: JSON.stringify(body.components), created_at: iso(now) };
  try {
    await d.insert(recipes).values(row);
  } catch (error) {
    if (violatesUnique(error, 'recipes')) throw conflict(`You already have a recipe called “${body.name}”. Choose another name.`);
    throw error;
  }
  return toRecipe(row);
}

export async function deleteRecipe(db: D1Database, userId: string, id: string): Promise<void> {
  const deleted = await database(db)
    .delete(recipes)
    .where(and(eq(recipes.id, id), eq(recipes.user_id, userId)))
    .returning({ id: recipes.id });
  if (!deleted.length) throw notFound('That recipe');
}

// Recipes: a named Agentic blend, kept as its blended component values (not the images it
// came from), so it works with other references and other prompts.
import { z } from 'zod';
import { StyleComponents } from './style';

export const RECIPES_MAX = 100;

export const CreateRecipeBody = z.object({
  name: z.string().trim().min(1, { message: 'Name the recipe' }).max(80),
  components: StyleComponents,
});
export type CreateRecipeBody = z.infer<typeof CreateRecipeBody>;

export const Recipe = z
  .object({
    id: z.string(),
    name: z.string(),
    components: StyleComponents,
    created_at: z.string(),
  })
  .meta({ id: 'Recipe' });
export type Recipe = z.infer<typeof Recipe>;

/** A recipe as a file: what the panel exports and imports. */
export const RecipeFile = z.object({
  format: z.literal('exactly.recipe'),
  version: z.literal(1),
  name: z.string().trim().min(1).max(80),
  components: StyleComponents,
});
export type RecipeFile = z.infer<typeof RecipeFile>;

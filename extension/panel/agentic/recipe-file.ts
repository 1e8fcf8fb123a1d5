// A recipe as a file: written for export, and read back on import with every failure said in
// words (not an Exactly recipe, from a newer release, damaged, too large).
import { RecipeFile } from '../../../shared/api/recipes';
import type { StyleComponents } from '../../../shared/style/components';

/** A recipe file is a few kilobytes; anything far larger is not one. */
export const RECIPE_FILE_MAX_BYTES = 256 * 1024;

export function recipeFileOf(recipe: { name: string; components: StyleComponents }): RecipeFile {
  return { format: 'exactly.recipe', version: 1, name: recipe.name, components: recipe.components };
}

/** "Warm dusk" → "warm-dusk.exactly-recipe.json" (letters of any script kept). */
export function recipeFileName(name: string): string {
  const slug = name.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${slug || 'recipe'}.exactly-recipe.json`;
}

export type ReadRecipe = { file: RecipeFile } | { error: string };

const notARecipe = "This file isn't an Exactly recipe. Choose a recipe file exported from Exactly (it ends in .exactly-recipe.json).";

export function readRecipeFile(text: string, bytes = text.length): ReadRecipe {
  if (bytes > RECIPE_FILE_MAX_BYTES) return { error: 'This file is too large to be a recipe. Choose a recipe file exported from Exactly.' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: notARecipe };
  }
  if (!data || typeof data !== 'object' || (data as { format?: unknown }).format !== 'exactly.recipe') return { error: notARecipe };
  if ((data as { version?: unknown }).version !== 1) return { error: 'This recipe was saved by a newer version of Exactly. Update the extension, then import it again.' };
  const parsed = RecipeFile.safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.map(String).join(' › ') || 'content';
    return { error: `This recipe file is damaged (its ${where} is not right), so it was not imported.` };
  }
  return { file: parsed.data };
}

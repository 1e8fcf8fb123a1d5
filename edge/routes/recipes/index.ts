// /v1/recipes: saved Agentic blends.
import { createRecipe, deleteRecipe, recipe, recipes } from '../../../shared/api/routes/recipes';
import * as domain from '../../domain/recipes';
import { router, serve } from '../../http/openapi';

export const recipeRoutes = router();

serve(recipeRoutes, createRecipe, async (c) => c.json(await domain.createRecipe(c.env.DB, c.get('user').id, c.req.valid('json'), new Date()), 201), { limits: ['work'] });
serve(recipeRoutes, recipes, async (c) => c.json({ items: await domain.listRecipes(c.env.DB, c.get('user').id), next_cursor: null }, 200));
serve(recipeRoutes, recipe, async (c) => c.json(await domain.getRecipe(c.env.DB, c.get('user').id, c.req.valid('param').id), 200));
serve(recipeRoutes, deleteRecipe, async (c) => {
  await domain.deleteRecipe(c.env.DB, c.get('user').id, c.req.valid('param').id);
  return c.body(null, 204);
});

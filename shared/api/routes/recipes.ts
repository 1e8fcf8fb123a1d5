// Recipes: saved Agentic blends.
import { Page } from '../credits';
import { CreateRecipeBody, Recipe } from '../recipes';
import { bodyProblems, defineRoute, IdParam, json, jsonBody, noContent, problems, signedIn } from './define';

const components = {
  palette: [{ hex: '#e0a060', weight: 0.5 }, { hex: '#203040', weight: 0.5 }],
  lighting: { key: 0.55, contrast: 0.2, direction: { x: 0.2, y: 0.3 }, warmth: 0.3 },
  grading: { temperature: 0.25, saturation: 0.45, tint: 0, shadows: { r: -0.02, g: 0, b: 0.04 }, midtones: { r: 0, g: 0, b: 0 }, highlights: { r: 0.05, g: 0.01, b: -0.04 } },
  composition: { horizon: 0.62, focus: { x: 0.34, y: 0.5 }, subjectScale: 0.3, balance: { x: 0.4, y: 0.52 }, thirds: { x: 0.333, y: 0.333 } },
};
const recipeExample = { id: 'rcp_01', name: 'Warm dusk', components, created_at: '2026-11-23T10:00:00.000Z' };

export const createRecipe = defineRoute({
  method: 'post',
  path: '/v1/recipes',
  tags: ['recipes'],
  summary: 'Save a blend of style components as a named recipe',
  security: signedIn,
  request: { body: jsonBody(CreateRecipeBody, { name: 'Warm dusk', components }) },
  responses: { 201: json(Recipe, 'Saved', recipeExample), ...problems(...bodyProblems, 'unauthorized', 'conflict', 'rate_limited') },
});

export const recipes = defineRoute({
  method: 'get',
  path: '/v1/recipes',
  tags: ['recipes'],
  summary: 'Your recipes, newest first',
  security: signedIn,
  responses: { 200: json(Page(Recipe), 'Your recipes'), ...problems('unauthorized') },
});

export const recipe = defineRoute({
  method: 'get',
  path: '/v1/recipes/{id}',
  tags: ['recipes'],
  summary: 'One recipe',
  security: signedIn,
  request: { params: IdParam },
  responses: { 200: json(Recipe, 'The recipe', recipeExample), ...problems('unauthorized', 'not_found') },
});

export const deleteRecipe = defineRoute({
  method: 'delete',
  path: '/v1/recipes/{id}',
  tags: ['recipes'],
  summary: 'Delete a recipe (generations made with it keep their images)',
  security: signedIn,
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...problems('unauthorized', 'not_found') },
});

export const recipeRoutes = { createRecipe, recipes, recipe, deleteRecipe } as const;

// The signed-in user's recipes, read once when the Agentic card shows and again after each
// change made here.
import { useEffect, useState } from 'preact/hooks';
import type { Recipe } from '../../../shared/api/recipes';
import { api, messageOf, withToken } from '../api';

export interface RecipesState {
  recipes: Recipe[];
  loaded: boolean;
  error: string;
  reload(): void;
}

export function useRecipes(): RecipesState {
  const [recipes, setRecipes] = useState<Recipe[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let alive = true;
    withToken((token) => api.recipes(token))
      .then((page) => alive && (setRecipes(page.items), setLoaded(true), setError('')))
      .catch((e) => alive && setError(messageOf(e)));
    return () => {
      alive = false;
    };
  }, [version]);
  return { recipes, loaded, error, reload: () => setVersion((v) => v + 1) };
}

// Recipes: the blend saved under a name (its values, not the images), chosen for a generation,
// exported as a file and imported from one, deleted.
import { useRef, useState } from 'preact/hooks';
import type { Recipe } from '../../../shared/api/recipes';
import type { StyleComponents } from '../../../shared/style/components';
import { api, messageOf, withToken } from '../api';
import { readRecipeFile, recipeFileName, recipeFileOf } from './recipe-file';
import type { RecipesState } from './use-recipes';

interface Props {
  blend: StyleComponents | null;
  recipes: RecipesState;
  chosen: Recipe | null;
  setRecipe(id: string | null): void;
}

/** A refusal said here, in words, rather than by the API. */
class Refusal extends Error {}

/** Hands a file to the browser's downloads, from memory. */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its bytes once it starts; the address is let go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function Recipes({ blend, recipes, chosen, setRecipe }: Props) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);

  async function run(work: () => Promise<string>) {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      setNotice(await work());
    } catch (e) {
      setError(e instanceof Refusal ? e.message : messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const save = (e: Event) => {
    e.preventDefault();
    if (!blend || !name.trim()) return;
    void run(async () => {
      const saved = await withToken((token) => api.createRecipe(token, { name: name.trim(), components: blend }));
      recipes.reload();
      setName('');
      return `Saved “${saved.name}”. Pick it under Recipe to use it with other references and prompts.`;
    });
  };

  const remove = () => {
    if (!chosen) return;
    void run(async () => {
      await withToken((token) => api.deleteRecipe(token, chosen.id));
      setRecipe(null);
      recipes.reload();
      return `Deleted “${chosen.name}”.`;
    });
  };

  const importFile = (file: File | undefined) => {
    if (!file) return;
    void run(async () => {
      const read = readRecipeFile(file.size > 1024 * 1024 ? '' : await file.text(), file.size);
      if ('error' in read) throw new Refusal(read.error);
      const saved = await withToken((token) => api.createRecipe(token, { name: read.file.name, components: read.file.components }));
      recipes.reload();
      setRecipe(saved.id);
      return `Imported “${saved.name}” and chose it.`;
    }).finally(() => fileInput.current && (fileInput.current.value = ''));
  };

  return (
    <section class="recipes" aria-label="Recipes">
      <div class="recipe-pick">
        <label for="recipe">Recipe</label>
        <select id="recipe" value={chosen?.id ?? ''} onChange={(e) => setRecipe(e.currentTarget.value || null)}>
          <option value="">None</option>
          {recipes.recipes.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
        {chosen && (
          <div class="row">
            <button type="button" class="secondary" disabled={busy} onClick={() => download(recipeFileName(chosen.name), JSON.stringify(recipeFileOf(chosen), null, 2))}>
              Export
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={remove}>
              Delete
            </button>
          </div>
        )}
      </div>
      {recipes.error && <p class="error small">{recipes.error}</p>}
      <form class="recipe-save" onSubmit={save} aria-label="Save as recipe">
        <label for="recipe-name">Recipe name</label>
        <div class="row">
          <input id="recipe-name" value={name} maxLength={80} placeholder="Warm dusk" onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit" disabled={busy || !blend || !name.trim()}>
            Save as recipe
          </button>
        </div>
      </form>
      <label class="button secondary import">
        Import a recipe
        <input ref={fileInput} type="file" accept="application/json,.json" disabled={busy} onChange={(e) => importFile(e.currentTarget.files?.[0])} />
      </label>
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p class="muted small" role="status">
          {notice}
        </p>
      )}
    </section>
  );
}

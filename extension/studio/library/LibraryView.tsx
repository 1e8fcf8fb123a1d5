// The community library: search and sort the catalog (Artist Styles first), and open a Style's
// page or its creator's. Which one shows is the address's: #library, #library/model/<id>,
// #library/creator/<handle>.
import { useEffect, useState } from 'preact/hooks';
import type { ModelKind } from '../../../shared/catalog/types';
import type { Go } from '../StudioPage';
import { libraryApi, useLoaded } from './api';
import { CreatorView } from './CreatorView';
import { ModelPage } from './ModelPage';
import { StyleGrid } from './StyleCard';

/** How long typing may pause before the search is sent. */
export const SEARCH_PAUSE_MS = 300;

type Sort = 'popular' | 'new';
const kinds: Record<ModelKind | 'all', string> = {
  artist: 'Artist Styles',
  private: 'Your private Styles',
  base: 'Base models',
  agentic: 'Agentic',
  all: 'All kinds',
};

function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

function Browse() {
  const [typed, setTyped] = useState('');
  const [sort, setSort] = useState<Sort>('popular');
  const [kind, setKind] = useState<ModelKind | 'all'>('artist');
  const q = useSettled(typed.trim(), SEARCH_PAUSE_MS);
  const query = { ...(kind === 'all' ? {} : { kind }), ...(q ? { q } : {}), sort };
  const [list] = useLoaded(() => libraryApi.models(query), JSON.stringify(query));

  return (
    <section class="library" aria-labelledby="library-title">
      <h1 id="library-title">Library</h1>
      <form class="library-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search the library
          <input type="search" value={typed} placeholder="Harbour, ink, Mira…" maxLength={100} onInput={(e) => setTyped(e.currentTarget.value)} />
        </label>
        <label>
          Sort by
          <select value={sort} onChange={(e) => setSort(e.currentTarget.value as Sort)}>
            <option value="popular">Most used</option>
            <option value="new">Newest</option>
          </select>
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as ModelKind | 'all')}>
            {(Object.keys(kinds) as (ModelKind | 'all')[]).map((k) => (
              <option key={k} value={k}>
                {kinds[k]}
              </option>
            ))}
          </select>
        </label>
      </form>
      {list.status === 'loading' && <p class="muted">Loading the library…</p>}
      {list.status === 'failed' && (
        <p class="error" role="alert">
          The library could not be loaded: {list.message}
        </p>
      )}
      {list.status === 'ready' && (
        <div aria-busy={list.busy}>
          <StyleGrid
            models={list.data.items}
            label="Results"
            empty={q ? `Nothing in ${kinds[kind]} matches “${q}”. Try other words, or all kinds.` : `There is nothing in ${kinds[kind]} yet.`}
          />
        </div>
      )}
    </section>
  );
}

export function LibraryView({ modelId, handle }: { go?: Go; modelId?: string; handle?: string }) {
  if (modelId) return <ModelPage key={modelId} id={modelId} />;
  if (handle) return <CreatorView key={handle} handle={handle} />;
  return <Browse />;
}

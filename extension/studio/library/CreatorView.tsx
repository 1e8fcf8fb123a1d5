// A creator's page: who they are, where else to find them, and their published Styles.
import type { CreatorPage } from '../../../shared/api/styles';
import { routeHash } from '../route';
import { libraryApi, useLoaded } from './api';
import { Avatar } from './Avatar';
import { StyleGrid } from './StyleCard';

/** A link a creator gave, only if it is a web address: anything else (javascript:, data:) is not linked. */
export function webLink(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function Creator({ page }: { page: CreatorPage }) {
  const links = page.links.flatMap((l) => {
    const href = webLink(l.url);
    return href ? [{ label: l.label, href }] : [];
  });
  return (
    <article class="creator-page" aria-labelledby="creator-title">
      <p class="small">
        <a href={routeHash({ view: 'library' })}>← Library</a>
      </p>
      <header class="creator-head">
        <Avatar handle={page.handle} name={page.display_name} url={page.avatar_url} size={96} />
        <div>
          <h1 id="creator-title">{page.display_name}</h1>
          <p class="muted">@{page.handle}</p>
          {page.bio && <p class="bio">{page.bio}</p>}
          {links.length > 0 && (
            <ul class="creator-links" aria-label="Links">
              {links.map((l) => (
                <li key={l.href}>
                  <a href={l.href} target="_blank" rel="noopener noreferrer">
                    {l.label}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      </header>
      <section aria-labelledby="creator-styles">
        <h2 id="creator-styles">Styles</h2>
        <StyleGrid models={page.styles} label={`Styles by ${page.display_name}`} empty={`${page.display_name} has not published a Style yet.`} />
      </section>
    </article>
  );
}

export function CreatorView({ handle }: { handle: string }) {
  const [page] = useLoaded(() => libraryApi.creator(handle), handle);
  if (page.status === 'loading') return <p class="muted">Loading…</p>;
  if (page.status === 'failed')
    return (
      <p class="error" role="alert">
        {page.code === 'not_found' ? `No creator goes by @${handle}. The handle may have changed.` : `This creator’s page could not be loaded: ${page.message}`}{' '}
        <a href={routeHash({ view: 'library' })}>Back to the library</a>
      </p>
    );
  return <Creator page={page.data} />;
}

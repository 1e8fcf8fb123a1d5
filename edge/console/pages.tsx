/** @jsxImportSource hono/jsx */
// The console's pages, rendered on the server: sign-in by emailed code, and the queue of
// Styles waiting for a decision with everything a moderator judges them by. No script runs in
// them; every control has a label.
import type { Child } from 'hono/jsx';
import type { ModerationItem } from '../../shared/api/styles';
import { copyrightStatuses, rejectionReasons } from '../../shared/statuses';
import { rejectionReasonWords } from '../domain/styles/moderation';

const css = `
:root{color-scheme:light dark;--bg:#faf9f7;--fg:#1d1b19;--muted:#6e6a64;--card:#fff;--line:#e4e0da;--accent:#2f5fd0;--ok:#2f8f4e;--bad:#c0352b}
@media (prefers-color-scheme:dark){:root{--bg:#161514;--fg:#eceae6;--muted:#a29d96;--card:#211f1d;--line:#3a3632;--accent:#8fb0ff;--ok:#6fcf8f;--bad:#ff8a7f}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,sans-serif}
header{display:flex;justify-content:space-between;align-items:center;gap:16px;padding:12px 24px;border-bottom:1px solid var(--line)}
header h1{font-size:17px;margin:0}main{max-width:1100px;margin:0 auto;padding:24px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px;margin:0 0 24px}
.muted{color:var(--muted)}.notice{border-left:4px solid var(--ok);padding:8px 12px;background:var(--card)}.error{border-left:4px solid var(--bad);padding:8px 12px;background:var(--card)}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(120px,1fr));gap:10px;list-style:none;padding:0;margin:8px 0 16px}
.grid img{width:100%;aspect-ratio:1;object-fit:cover;border-radius:6px;display:block;background:var(--line)}
figure{margin:0}figcaption{font-size:12px;color:var(--muted);overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0 0 12px}dt{color:var(--muted)}dd{margin:0}
form{margin:0}.decide{display:grid;grid-template-columns:1fr 2fr;gap:16px;border-top:1px solid var(--line);padding-top:16px}
fieldset{border:1px solid var(--line);border-radius:8px;padding:12px;margin:0}label{display:block;margin:6px 0 2px}
input,select,textarea{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:6px 8px;width:100%}
button{font:inherit;border:0;border-radius:6px;padding:8px 14px;margin-top:10px;cursor:pointer;background:var(--accent);color:#fff}
@media (prefers-color-scheme:dark){button{color:#111}}button.reject{background:var(--bad)}button.quiet{background:transparent;color:var(--accent);border:1px solid var(--line);margin:0}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
`;

export function Layout(props: { title: string; moderator?: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Exactly moderation</title>
        <style>{css}</style>
      </head>
      <body>
        <header>
          <h1>Exactly moderation</h1>
          {props.moderator ? (
            <form method="post" action="/admin/sign-out">
              <span class="muted">{props.moderator} </span>
              <button type="submit" class="quiet">
                Sign out
              </button>
            </form>
          ) : null}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export function SignInPage(props: { email?: string; error?: string }) {
  return (
    <Layout title="Sign in">
      <section class="card" aria-labelledby="sign-in">
        <h2 id="sign-in">Sign in</h2>
        <p class="muted">For moderators. We email you a 6-digit code, as in the studio.</p>
        {props.error ? <p class="error" role="alert">{props.error}</p> : null}
        <form method="post" action="/admin/sign-in">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" required value={props.email ?? ''} />
          <button type="submit">Email me a code</button>
        </form>
      </section>
    </Layout>
  );
}

export function CodePage(props: { email: string; error?: string }) {
  return (
    <Layout title="Enter your code">
      <section class="card" aria-labelledby="code">
        <h2 id="code">Enter your code</h2>
        <p class="muted">If {props.email} can sign in, a code is on its way. It works once, for 10 minutes.</p>
        {props.error ? <p class="error" role="alert">{props.error}</p> : null}
        <form method="post" action="/admin/verify">
          <input type="hidden" name="email" value={props.email} />
          <label for="code-input">6-digit code</label>
          <input id="code-input" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="\d{6}" required />
          <button type="submit">Sign in</button>
        </form>
        <p>
          <a href="/admin/sign-in">Use another email</a>
        </p>
      </section>
    </Layout>
  );
}

export function MessagePage(props: { title: string; message: string; moderator?: string }) {
  return (
    <Layout title={props.title} {...(props.moderator ? { moderator: props.moderator } : {})}>
      <section class="card">
        <h2>{props.title}</h2>
        <p role="alert">{props.message}</p>
        <p>
          <a href={props.moderator ? '/admin' : '/admin/sign-in'}>{props.moderator ? 'Back to the queue' : 'Sign in with another account'}</a>
        </p>
      </section>
    </Layout>
  );
}

const copyrightWords: Record<(typeof copyrightStatuses)[number], string> = {
  own_work: 'Own work',
  licensed: 'Licensed',
  public_domain: 'Public domain',
};

const imageUrl = (styleId: string, imageId: string, size: 'thumb' | 'preview' = 'preview') =>
  `/admin/styles/${encodeURIComponent(styleId)}/images/${encodeURIComponent(imageId)}${size === 'thumb' ? '?size=thumb' : ''}`;

function Images(props: { styleId: string; items: { id: string; caption: string }[] }) {
  if (!props.items.length) return <p class="muted">None.</p>;
  return (
    <ul class="grid">
      {props.items.map((i) => (
        <li>
          <figure>
            <a href={imageUrl(props.styleId, i.id)}>
              <img src={imageUrl(props.styleId, i.id, 'thumb')} alt={i.caption} loading="lazy" />
            </a>
            <figcaption>{i.caption}</figcaption>
          </figure>
        </li>
      ))}
    </ul>
  );
}

function PendingStyle({ item }: { item: ModerationItem }) {
  const key = item.style_id;
  const heading = `style-${key}`;
  return (
    <article class="card" aria-labelledby={heading}>
      <h2 id={heading}>{item.title}</h2>
      <dl>
        <dt>Style</dt>
        <dd>
          {item.name}, version {item.version}
        </dd>
        <dt>Creator</dt>
        <dd>
          {item.creator.display_name} (@{item.creator.handle}, {item.creator.email})
        </dd>
        <dt>Submitted</dt>
        <dd>
          <time datetime={item.submitted_at}>{item.submitted_at.replace('T', ' ').slice(0, 16)} UTC</time>
        </dd>
        <dt>Copyright</dt>
        <dd>{copyrightWords[item.copyright_status]}</dd>
        <dt>Quiz average</dt>
        <dd>
          {item.quiz.average.toFixed(1)} of 5 (scores {item.quiz.scores.join(', ') || 'none'})
        </dd>
      </dl>
      <h3>Title image and examples</h3>
      <Images
        styleId={key}
        items={[
          { id: item.title_image_id, caption: 'Title image' },
          ...item.example_image_ids.map((id, i) => ({ id, caption: `Example ${i + 1}` })),
        ]}
      />
      <h3>Quiz samples</h3>
      <Images styleId={key} items={item.samples.map((s, i) => ({ id: s.image_id, caption: `Sample ${i + 1}, scored ${s.score ?? 'not scored'}: ${s.prompt}` }))} />
      <h3>Training images ({item.training_images.length})</h3>
      <Images styleId={key} items={item.training_images.map((t, i) => ({ id: t.image_id, caption: t.description || `Training image ${i + 1}` }))} />
      <div class="decide">
        <form method="post" action={`/admin/styles/${encodeURIComponent(key)}/decision`}>
          <fieldset>
            <legend>Accept</legend>
            <input type="hidden" name="decision" value="accept" />
            <label for={`accept-note-${key}`}>Note to the creator (optional)</label>
            <textarea id={`accept-note-${key}`} name="note" rows={2} maxlength={1000}></textarea>
            <button type="submit">Accept into the library</button>
          </fieldset>
        </form>
        <form method="post" action={`/admin/styles/${encodeURIComponent(key)}/decision`}>
          <fieldset>
            <legend>Reject</legend>
            <input type="hidden" name="decision" value="reject" />
            <label for={`reason-${key}`}>Reason</label>
            <select id={`reason-${key}`} name="reason" required>
              <option value="">Choose a reason…</option>
              {rejectionReasons.map((r) => (
                <option value={r}>{rejectionReasonWords[r].label}</option>
              ))}
            </select>
            <label for={`reject-note-${key}`}>Note to the creator</label>
            <textarea id={`reject-note-${key}`} name="note" rows={3} maxlength={1000}></textarea>
            <button type="submit" class="reject">
              Reject
            </button>
          </fieldset>
        </form>
      </div>
    </article>
  );
}

export function QueuePage(props: { moderator: string; items: ModerationItem[]; notice?: string; error?: string }) {
  return (
    <Layout title="Pending Styles" moderator={props.moderator}>
      {props.notice ? <p class="notice" role="status">{props.notice}</p> : null}
      {props.error ? <p class="error" role="alert">{props.error}</p> : null}
      <h2>Pending Styles ({props.items.length})</h2>
      {props.items.length ? props.items.map((item) => <PendingStyle item={item} />) : <p class="muted">Nothing is waiting for a decision.</p>}
    </Layout>
  );
}

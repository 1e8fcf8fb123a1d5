// Your public profile: the handle your creator page lives at, the name and bio people see, an
// avatar from your own images, and up to five links. Saved as one change of what differs.
import { useState } from 'preact/hooks';
import type { Profile } from '../../../shared/api/styles';
import { ApiError } from '../../lib/api-call';
import { messageOf } from '../../panel/api';
import { libraryApi, useLoaded } from '../library/api';
import { routeHash } from '../route';
import { AvatarPicker } from './AvatarPicker';
import { FieldProblem } from './FieldProblem';
import { LinksEditor } from './LinksEditor';
import { changesOf, type FieldProblems, fieldProblems, MAX_BIO, problemsOf } from './profile-form';

function ProfileEditor({ initial }: { initial: Profile }) {
  const [saved, setSaved] = useState(initial);
  const [form, setForm] = useState(initial);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  const change = changesOf(saved, form);
  const changed = Object.keys(change).length > 0;
  const edit = (next: Partial<Profile>) => {
    setForm((f) => ({ ...f, ...next }));
    setState({ kind: 'idle' });
  };

  async function save(e: Event) {
    e.preventDefault();
    const found = problemsOf(change);
    setProblems(found);
    if (Object.keys(found).length) return setState({ kind: 'failed', message: 'Some fields need another look.' });
    setState({ kind: 'saving' });
    try {
      const answer = await libraryApi.updateProfile(change);
      setSaved(answer);
      setForm(answer);
      setState({ kind: 'saved' });
    } catch (error) {
      // A taken handle is the handle's problem: said beside it, not only at the bottom.
      if (error instanceof ApiError && error.code === 'conflict') setProblems({ handle: error.problem.detail });
      else if (error instanceof ApiError && error.problem.errors?.length) setProblems(fieldProblems(error.problem.errors));
      setState({ kind: 'failed', message: messageOf(error) });
    }
  }

  const invalid = (field: string) => (problems[field] ? { 'aria-invalid': true, 'aria-describedby': `${field}-problem` } : {});

  return (
    <form class="profile card" aria-labelledby="profile-title" onSubmit={save} noValidate>
      <div class="row spread">
        <h1 id="profile-title">Your profile</h1>
        {saved.handle && <a href={routeHash({ view: 'library', handle: saved.handle })}>See your creator page</a>}
      </div>
      <p class="muted small">What people see on your creator page and beside your published Styles.</p>

      <label for="profile-handle">Handle</label>
      <div class="handle-field">
        <span aria-hidden="true">@</span>
        <input id="profile-handle" value={form.handle} maxLength={30} autoComplete="off" spellcheck={false} onInput={(e) => edit({ handle: e.currentTarget.value })} {...invalid('handle')} />
      </div>
      <FieldProblem id="handle-problem" problem={problems.handle} />

      <label for="profile-name">Display name</label>
      <input id="profile-name" value={form.display_name} maxLength={60} onInput={(e) => edit({ display_name: e.currentTarget.value })} {...invalid('display_name')} />
      <FieldProblem id="display_name-problem" problem={problems.display_name} />

      <label for="profile-bio">Bio</label>
      <textarea
        id="profile-bio"
        rows={4}
        value={form.bio}
        maxLength={MAX_BIO}
        aria-describedby="bio-count"
        onInput={(e) => edit({ bio: e.currentTarget.value })}
        {...(problems.bio ? { 'aria-invalid': true } : {})}
      />
      <p class="muted small" id="bio-count">
        {form.bio.length} / {MAX_BIO} characters
      </p>
      <FieldProblem id="bio-problem" problem={problems.bio} />

      <AvatarPicker imageId={form.avatar_image_id} onChoose={(avatar_image_id) => edit({ avatar_image_id })} />

      <LinksEditor links={form.links} problems={problems} onChange={(links) => edit({ links })} />

      <div class="row">
        <button type="submit" disabled={!changed || state.kind === 'saving'}>
          {state.kind === 'saving' ? 'Saving…' : 'Save profile'}
        </button>
        <span role="status" class="muted small">
          {state.kind === 'saved' ? 'Saved.' : !changed ? 'No unsaved changes.' : ''}
        </span>
      </div>
      {state.kind === 'failed' && (
        <p class="error" role="alert">
          Not saved: {state.message}
        </p>
      )}
    </form>
  );
}

export function ProfileView() {
  const [profile] = useLoaded(() => libraryApi.profile(), 'profile');
  if (profile.status === 'loading') return <p class="muted">Loading your profile…</p>;
  if (profile.status === 'failed')
    return (
      <p class="error" role="alert">
        Your profile could not be loaded: {profile.message}
      </p>
    );
  return <ProfileEditor initial={profile.data} />;
}

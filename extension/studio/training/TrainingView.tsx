// The training view: the tray becomes a server training set (each image large, with its
// description and the server's warnings or refusal), named and made public or private, with its
// cost; Train starts the Style. The tray stays until training has started, so nothing is lost.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Style } from '../../../shared/api/styles';
import type { StyleVisibility } from '../../../shared/statuses';
import { ApiError } from '../../lib/api-client';
import { TRAINING_MAX, TRAINING_MIN, trainingTray } from '../../lib/captures';
import { api, messageOf, withToken } from '../../panel/api';
import { credits } from '../../panel/format';
import { useLiveEvent } from '../../panel/live';
import { useUserItem, useUserStored } from '../../panel/user';
import type { Go } from '../StudioPage';
import { stylesApi } from '../styles/api';
import { emptyDraft, type TrainingDraft, trainingDraft } from './draft';
import { TrainingImageCard } from './TrainingImageCard';
import { UploadImages } from './UploadImages';
import { useTrainingSet } from './use-training-set';

const visibilityChoices: { value: StyleVisibility; label: string; explanation: string }[] = [
  {
    value: 'public',
    label: 'Public',
    explanation: 'After its quiz you publish it: moderators review it, then it is in the community library for everyone, and once verified its licenses earn you credits.',
  },
  { value: 'private', label: 'Private', explanation: 'Yours alone, usable as soon as it passes its quiz. Its images are watermarked until you license them.' },
];

function useAvailableCredits(): number | null {
  const [available, setAvailable] = useState<number | null>(null);
  useEffect(() => {
    withToken((token) => api.credits(token))
      .then((c) => setAvailable(c.available))
      .catch(() => setAvailable(null));
  }, []);
  useLiveEvent('credits.changed', (fresh) => setAvailable(fresh.available));
  return available;
}

export function TrainingView({ go }: { go: Go }) {
  const [tray, setTray, trayLoaded] = useUserStored(trainingTray);
  const [draft, , draftLoaded] = useUserStored(trainingDraft);
  const draftItem = useUserItem(trainingDraft);
  // Changes are applied one after another to what is stored, so a quick second change (the
  // name, then the visibility) never writes over the first.
  const draftWrites = useRef(Promise.resolve());
  const setDraft = (patch: Partial<TrainingDraft>) =>
    (draftWrites.current = draftWrites.current.then(async () => draftItem.setValue({ ...(await draftItem.getValue()), ...patch })));
  const [gone, setGone] = useState('');
  const { set, notes, syncing, error, retry } = useTrainingSet(draft.set_id, tray, trayLoaded, () => {
    setGone('The training set you had started is gone; create it again from your tray.');
    void setDraft({ set_id: null });
  });
  const available = useAvailableCredits();
  const [creating, setCreating] = useState(false);
  const [training, setTraining] = useState(false);
  const [failure, setFailure] = useState('');
  /** One Idempotency-Key per Train click, kept across its retries; a changed request gets a new one. */
  const pendingKey = useRef<{ key: string; body: string } | null>(null);

  if (!trayLoaded || !draftLoaded) return <p class="muted">Loading your training tray…</p>;

  const name = draft.name;
  const ready = tray.filter((t) => t.status === 'ready');

  async function createSet() {
    setCreating(true);
    setFailure('');
    try {
      const created = await withToken((token) => stylesApi.createTrainingSet(token, name.trim()));
      setGone('');
      await setDraft({ set_id: created.id });
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setCreating(false);
    }
  }

  const cost = set?.training_cost ?? null;
  const trainBlocked = !set
    ? 'Create the training set first.'
    : syncing
      ? 'Saving your changes to the set…'
      : !set.ready
        ? set.problems.join(' ') || 'The set is not ready yet.'
        : !name.trim()
          ? 'Give the Style a name.'
          : !draft.visibility
            ? 'Choose public or private.'
            : available === null
              ? 'Reading your credits…'
              : cost !== null && cost > available
                ? `Training costs ${credits(cost)}; you have ${available} available. Buy credits, then train.`
                : null;

  async function train() {
    if (!set || !draft.visibility) return;
    const body = { training_set_id: set.id, name: name.trim(), visibility: draft.visibility };
    const serialized = JSON.stringify(body);
    if (pendingKey.current?.body !== serialized) pendingKey.current = { key: crypto.randomUUID(), body: serialized };
    setTraining(true);
    setFailure('');
    let style: Style;
    try {
      style = await withToken((token) => stylesApi.train(token, body, pendingKey.current!.key));
    } catch (e) {
      setFailure(
        e instanceof ApiError && e.status === 402
          ? `Training costs ${credits(e.problem.needed ?? cost ?? 0)} and you have ${e.problem.available ?? available ?? 0} available: buy credits, then press Train again. Your set is kept.`
          : `${messageOf(e)} Your set is kept: press Train again.`,
      );
      setTraining(false);
      return;
    }
    pendingKey.current = null;
    // Training has started: the tray and the draft have done their job.
    await setTray([]);
    await setDraft(emptyDraft);
    go({ view: 'styles', styleId: style.id });
  }

  return (
    <section class="studio-training" aria-label="Training set">
      <div class="card">
        <h1>Train a Style</h1>
        <p class="muted">
          A Style learns from {TRAINING_MIN} to {TRAINING_MAX} images, each with a short description. Capture them while browsing (“Add to training set…”), or add
          them from your computer.
        </p>
        <label for="style-name">Name of the Style</label>
        <input id="style-name" value={name} maxLength={80} placeholder="Dusk Harbour" onInput={(e) => void setDraft({ name: e.currentTarget.value })} />
        <fieldset class="choices" role="radiogroup" aria-label="Who can use it">
          <legend>Who can use it</legend>
          {visibilityChoices.map((choice) => (
            <label key={choice.value} class="choice">
              <input
                type="radio"
                name="visibility"
                value={choice.value}
                checked={draft.visibility === choice.value}
                aria-describedby={`visibility-${choice.value}`}
                onChange={() => void setDraft({ visibility: choice.value })}
              />
              <span>
                <strong>{choice.label}</strong>
                <span id={`visibility-${choice.value}`} class="muted small">
                  {' '}
                  {choice.explanation}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {!draft.set_id && (
          <div class="row">
            <button type="button" disabled={creating || !name.trim() || !ready.length} onClick={createSet}>
              {creating ? 'Creating…' : 'Create the training set'}
            </button>
            {!name.trim() ? <span class="muted small">Name it first.</span> : !ready.length ? <span class="muted small">Add images first.</span> : null}
          </div>
        )}
        {gone && <p class="warning">{gone}</p>}
      </div>

      <div class="row">
        <UploadImages />
        <span class="small" data-testid="set-count">
          {tray.length} of {TRAINING_MIN}–{TRAINING_MAX} images
        </span>
      </div>

      {tray.length ? (
        <ul class="set-images">
          {tray.map((item, i) => (
            <TrainingImageCard
              key={item.id}
              item={item}
              number={i + 1}
              inSet={set?.images.find((image) => image.image_id === item.image_id)}
              note={notes[item.id]}
              onDescribe={(description) => void setTray(tray.map((t) => (t.id === item.id ? { ...t, description } : t)))}
              onRemove={() => void setTray(tray.filter((t) => t.id !== item.id))}
              onRetry={() => retry(item.id)}
            />
          ))}
        </ul>
      ) : (
        <p class="muted">Your training tray is empty. Right-click images on any page and choose “Add to training set…”, or add images from your computer.</p>
      )}

      {set && (
        <div class="card" aria-label="Before training">
          {set.problems.length > 0 && (
            <ul class="problems" aria-label="What the set still needs">
              {set.problems.map((p) => (
                <li key={p} class="warning">
                  {p}
                </li>
              ))}
            </ul>
          )}
          <p data-testid="training-cost">
            Training costs {credits(set.training_cost)}
            {available !== null ? `; you have ${available} available.` : '.'}
          </p>
          <div class="row">
            <button type="button" disabled={training || trainBlocked !== null} aria-describedby="train-blocked" onClick={train}>
              {training ? 'Starting…' : 'Train'}
            </button>
            <span id="train-blocked" class="muted small" data-testid="train-blocked">
              {trainBlocked ?? ''}
            </span>
          </div>
        </div>
      )}
      {(failure || error) && (
        <p class="error" role="alert">
          {failure || error}
        </p>
      )}
    </section>
  );
}

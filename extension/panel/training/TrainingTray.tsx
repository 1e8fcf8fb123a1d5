// The training-set tray: 5 to 50 captured images, each with a short description, and a
// warning for what would train badly.
import { TRAINING_MAX, TRAINING_MIN, trainingTray } from '../../lib/captures';
import { useAuthedImage } from '../use-authed-image';
import { useUserStored } from '../user';
import { openStudio } from './open-studio';
import { trainingWarnings } from './warnings';
import { YourStyles } from './YourStyles';

function Thumb({ path, data, alt }: { path: string; data: string | null; alt: string }) {
  const { url: served } = useAuthedImage(data ? null : path);
  const url = data ?? served;
  return url ? <img src={url} alt={alt} /> : <span class="muted small">…</span>;
}

/** The Training tab: the way into the studio, my Styles' status, and the tray. */
export function TrainingTray() {
  return (
    <>
      <div class="row spread">
        <span class="muted small">Name, train, score and publish in the studio.</span>
        <button type="button" onClick={() => openStudio({ view: 'training' })}>
          Open the studio
        </button>
      </div>
      <YourStyles />
      <Tray />
    </>
  );
}

function Tray() {
  const [tray, setTray] = useUserStored(trainingTray);
  const warnings = trainingWarnings(tray);
  if (!tray.length) {
    return <p class="muted">Right-click images on any page and choose “Add to training set…”, or collect them from a page. A Style trains on 5 to 50 images.</p>;
  }
  return (
    <section class="card" aria-label="Training set" data-testid="training-tray">
      <div class="row spread">
        <strong>Training set</strong>
        <span class={tray.length < TRAINING_MIN ? 'muted small' : 'small'} data-testid="training-count">
          {tray.length} of {TRAINING_MIN}–{TRAINING_MAX} images
        </span>
      </div>
      <ul class="tray">
        {tray.map((item, i) => (
          <li key={item.id} data-testid="training-item">
            <Thumb path={item.thumb_url} data={item.thumb_data} alt={item.alt || `Training image ${i + 1}`} />
            <div class="grow">
              <input
                aria-label={`Description of image ${i + 1}`}
                placeholder="Describe it in a few words"
                value={item.description}
                onInput={(e) => setTray(tray.map((t) => (t.id === item.id ? { ...t, description: e.currentTarget.value } : t)))}
              />
              {warnings.get(item.id)!.map((w) => (
                <p key={w} class="warning small" data-testid="training-warning">
                  {w}
                </p>
              ))}
            </div>
            <button type="button" class="link" aria-label="Remove" onClick={() => setTray(tray.filter((t) => t.id !== item.id))}>
              ✕
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

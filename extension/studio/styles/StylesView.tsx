// My Styles: every Style I trained with its status in words (training progress live), and one
// of them at a time at #styles/<id>.
import type { Go } from '../StudioPage';
import { routeHash } from '../route';
import { StyleDetail } from './StyleDetail';
import { TrainingProgress } from './TrainingProgress';
import { useStyles } from './use-styles';
import { statusWords, visibilityWords } from './words';

export function StylesView({ styleId }: { styleId?: string; go?: Go }) {
  const { styles, error, put } = useStyles();
  const errorLine = error && (
    <p class="error" role="alert">
      {error}
    </p>
  );
  if (!styles) return errorLine || <p class="muted">Loading your Styles…</p>;

  if (styleId) {
    const style = styles.find((s) => s.id === styleId);
    return (
      <>
        <p>
          <a href={routeHash({ view: 'styles' })}>← All my Styles</a>
        </p>
        {errorLine}
        {style ? <StyleDetail style={style} onChanged={put} /> : <p class="muted">That Style is not among yours.</p>}
      </>
    );
  }

  return (
    <section aria-label="My Styles">
      {errorLine}
      {!styles.length && (
        <p class="muted">
          You have no Styles yet. <a href={routeHash({ view: 'training' })}>Train one from your training set</a>.
        </p>
      )}
      <ul class="style-list">
        {styles.map((style) => (
          <li key={style.id} class="card" aria-label={style.name} data-testid="style-item">
            <div class="row spread">
              <a href={routeHash({ view: 'styles', styleId: style.id })}>
                <strong>{style.name}</strong>
              </a>
              <span class="badge">
                {visibilityWords[style.visibility]} · v{style.version}
              </span>
            </div>
            <p class="small" data-testid="style-status">
              {statusWords(style)}
            </p>
            {style.status === 'training' && <TrainingProgress style={style} />}
            {style.status === 'failed' && style.training?.error && <p class="error small">{style.training.error}</p>}
            {style.verification && !style.verification.verified && style.status === 'published' && (
              <p class="muted small">
                {style.verification.distinct_users} of {style.verification.threshold} people have used it
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

// The side panel's short list of my Styles: each with its status in words, its progress while
// it trains, and a link into the studio where there is something to do.
import { useStyles } from '../../studio/styles/use-styles';
import { nextStep, percent, statusWords } from '../../studio/styles/words';
import { openStudio, studioUrl } from './open-studio';

export function YourStyles() {
  const { styles, error } = useStyles();
  if (error) return <p class="error small">{error}</p>;
  if (!styles?.length) return null;
  return (
    <section class="card" aria-label="Your Styles">
      <strong>Your Styles</strong>
      <ul class="tray">
        {styles.map((style) => {
          const step = nextStep(style);
          const route = { view: 'styles', styleId: style.id } as const;
          return (
            <li key={style.id} data-testid="panel-style">
              <div class="tray-meta">
                <span>{style.name}</span>
                <small class="muted">{statusWords(style)}</small>
                {style.status === 'training' && (
                  <progress
                    max={100}
                    value={style.training?.progress != null ? percent(style.training.progress) : undefined}
                    aria-label={`Training ${style.name}`}
                  />
                )}
              </div>
              {step && (
                <a
                  href={studioUrl(route)}
                  aria-label={`${step}: ${style.name}`}
                  onClick={(e) => {
                    e.preventDefault();
                    openStudio(route);
                  }}
                >
                  {step}
                </a>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

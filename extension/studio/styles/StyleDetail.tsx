// One of the creator's Styles, at whatever step it is: training (live progress), the quiz and
// its outcome, the publish form, moderation's answer, verification and earnings.
import type { Style } from '../../../shared/api/styles';
import { credits } from '../../panel/format';
import { routeHash } from '../route';
import { PublishForm } from './PublishForm';
import { QuizForm } from './Quiz';
import { RetrainButton } from './Retrain';
import { TrainingProgress } from './TrainingProgress';
import { Verification } from './Verification';
import { rejectionWords, statusWords, visibilityWords } from './words';

export function StyleDetail({ style, onChanged }: { style: Style; onChanged(style: Style): void }) {
  const quiz = style.quiz;
  const failedQuiz = quiz?.outcome === 'retrain';
  return (
    <article class="style-detail" aria-label={style.name}>
      <header class="card">
        <div class="row spread">
          <h1>{style.name}</h1>
          <span class="badge">{visibilityWords[style.visibility]}</span>
        </div>
        <p class="muted small">Version {style.version}</p>
        <p data-testid="style-status">{statusWords(style)}</p>
        {style.status === 'training' && <TrainingProgress style={style} />}
        {style.status === 'failed' && !failedQuiz && (
          <>
            <p class="error">{style.training?.error ?? 'Training did not finish.'} Your credits for it were refunded.</p>
            <RetrainButton style={style} onStarted={onChanged} />
          </>
        )}
      </header>

      {style.status === 'quiz' && quiz && !failedQuiz && <QuizForm style={style} quiz={quiz} onScored={onChanged} />}
      {style.status === 'quiz' && !quiz && <p class="muted">Making the quiz’s sample images…</p>}

      {failedQuiz && quiz && style.status !== 'training' && (
        <section class="card" aria-label="Quiz outcome">
          <h2>Quiz outcome</h2>
          <p>
            Your average was {quiz.average?.toFixed(1)}; a pass needs {quiz.threshold}. Retrain it for free: a new version trains from the same set.
          </p>
          {style.free_retrain && <RetrainButton style={style} onStarted={onChanged} />}
        </section>
      )}

      {style.status === 'ready' && (
        <section class="card" aria-label="Quiz outcome">
          <h2>Ready</h2>
          {quiz?.average !== undefined && (
            <p class="muted small">
              Your quiz average was {quiz.average.toFixed(1)} (a pass needs {quiz.threshold}).
            </p>
          )}
          {style.visibility === 'private' ? (
            <p>It is yours to use now: choose it in the side panel’s Generate tab. Its images are watermarked until you license them.</p>
          ) : (
            <p>Publish it: give it a title and examples, and moderators review it for the library.</p>
          )}
        </section>
      )}
      {style.status === 'ready' && style.visibility === 'public' && <PublishForm style={style} onPublished={onChanged} />}

      {style.status === 'in_moderation' && (
        <section class="card" aria-label="Moderation">
          <h2>In moderation</h2>
          <p>Moderators are reviewing “{style.publication?.title ?? style.name}”. You hear from them by email and here.</p>
        </section>
      )}

      {style.status === 'published' && (
        <section class="card" aria-label="Moderation">
          <h2>Published in the library</h2>
          <p>
            Everyone can find it and generate with it. <a href={routeHash({ view: 'library', modelId: style.id })}>See it in the library</a>
          </p>
        </section>
      )}

      {style.status === 'rejected' && (
        <section class="card" aria-label="Moderation">
          <h2>Not accepted</h2>
          <p class="error" data-testid="rejection-reason">
            {style.moderation?.reason ? rejectionWords[style.moderation.reason] : 'Moderators did not accept it.'}
          </p>
          {style.moderation?.note && <blockquote class="note">“{style.moderation.note}”</blockquote>}
          <p class="muted small">Retrain it for free with a better set, then publish the new version.</p>
          <RetrainButton style={style} onStarted={onChanged} />
        </section>
      )}

      {style.visibility === 'public' && style.verification && (style.status === 'published' || style.verification.distinct_users > 0) && (
        <Verification style={style} verification={style.verification} onVerified={onChanged} />
      )}

      {style.earnings && (
        <section class="card" aria-label="Earnings">
          <h2>Earnings</h2>
          <p>
            <span data-testid="style-earnings">{credits(style.earnings.total)}</span> earned from licenses.{' '}
            <a href={routeHash({ view: 'earnings' })}>All earnings</a>
          </p>
        </section>
      )}
    </article>
  );
}

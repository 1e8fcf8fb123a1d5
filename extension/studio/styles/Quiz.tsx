// The quiz after training: each sample large, with the prompt it was made from, scored 1 to 5;
// Submit once every sample has a score.
import { useState } from 'preact/hooks';
import type { Style } from '../../../shared/api/styles';
import { messageOf, withToken } from '../../panel/api';
import { stylesApi } from './api';
import { Picture, previewPath } from './Picture';

export const scoreLabels = ['1 — poor', '2 — weak', '3 — fair', '4 — good', '5 — excellent'] as const;

type Quiz = NonNullable<Style['quiz']>;

export function QuizForm({ style, quiz, onScored }: { style: Style; quiz: Quiz; onScored(style: Style): void }) {
  const [scores, setScores] = useState<Record<string, number>>(() =>
    Object.fromEntries(quiz.samples.flatMap((s) => (s.score !== null ? [[s.image_id, s.score]] : []))),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const left = quiz.samples.filter((s) => scores[s.image_id] === undefined).length;

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const result = await withToken((token) => stylesApi.scoreQuiz(token, style.id, quiz.samples.map((s) => ({ image_id: s.image_id, score: scores[s.image_id]! }))));
      onScored(result.style);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" aria-label="Quiz" onSubmit={submit}>
      <h2>Score the quiz</h2>
      <p class="muted">
        Training made these samples. Score each from 1 to 5 for how well it carries your style: an average of {quiz.threshold} or more passes; under it, you retrain
        for free.
      </p>
      <ol class="quiz-samples">
        {quiz.samples.map((sample, i) => (
          <li key={sample.image_id} class="quiz-sample">
            <Picture path={previewPath(sample.image_id)} alt={`Sample ${i + 1}: ${sample.prompt}`} class="picture large" />
            <p class="small">{sample.prompt}</p>
            <div class="scores" role="radiogroup" aria-label={`Score for sample ${i + 1}`}>
              {scoreLabels.map((label, s) => (
                <label key={label} class="score">
                  <input type="radio" name={`score-${sample.image_id}`} value={s + 1} checked={scores[sample.image_id] === s + 1} onChange={() => setScores({ ...scores, [sample.image_id]: s + 1 })} />
                  {label}
                </label>
              ))}
            </div>
          </li>
        ))}
      </ol>
      <div class="row">
        <button type="submit" disabled={busy || left > 0}>
          {busy ? 'Sending…' : 'Submit scores'}
        </button>
        {left > 0 && <span class="muted small">{left === 1 ? 'One sample still needs a score.' : `${left} samples still need a score.`}</span>}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

// A training Style's bar: the trainer's own progress where it reports one, else a moving bar.
import type { Style } from '../../../shared/api/styles';
import { percent } from './words';

export function TrainingProgress({ style }: { style: Style }) {
  const fraction = style.training?.progress;
  if (fraction == null) return <progress aria-label={`Training ${style.name}`} aria-valuetext="Training, no estimate yet" />;
  const value = percent(fraction);
  return (
    <progress max={100} value={value} aria-label={`Training ${style.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-valuetext={`${value}% done`} />
  );
}

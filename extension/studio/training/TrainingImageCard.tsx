// One image of the training set, large: its description, what the server warns about it, or
// why it refused it, with a way to take it out.
import type { TrainingImage } from '../../../shared/api/styles';
import type { TrainingItem } from '../../lib/captures';
import { useAuthedImage } from '../../panel/use-authed-image';
import type { ImageNote } from './use-training-set';

interface Props {
  item: TrainingItem;
  number: number;
  /** The image as the set holds it (absent until added, or when refused). */
  inSet: TrainingImage | undefined;
  note: ImageNote | undefined;
  onDescribe(description: string): void;
  onRemove(): void;
  onRetry(): void;
}

export function TrainingImageCard({ item, number, inSet, note, onDescribe, onRemove, onRetry }: Props) {
  const { url: served, error } = useAuthedImage(item.status === 'ready' ? `/v1/images/${encodeURIComponent(item.image_id)}/preview` : null);
  const url = served ?? item.thumb_data;
  const label = `Image ${number}`;
  return (
    <li class={note?.kind === 'refused' ? 'card set-image refused' : 'card set-image'} aria-label={label} data-testid="set-image">
      <div class="set-picture" style={{ aspectRatio: `${item.width} / ${item.height}` }}>
        {url ? <img src={url} alt={item.alt || label} /> : <span class="muted small">{error ?? (item.status === 'uploading' ? 'Uploading…' : '…')}</span>}
      </div>
      <label for={`describe-${item.id}`}>Description of image {number}</label>
      <textarea id={`describe-${item.id}`} rows={2} maxLength={300} placeholder="Describe it in a few words: subject, setting, light" value={item.description} onInput={(e) => onDescribe(e.currentTarget.value)} />
      <p class="muted small">
        {item.width}×{item.height} px{item.page_title ? ` · ${item.page_title}` : ''}
      </p>
      {inSet?.warnings.map((w) => (
        <p key={w} class="warning small" data-testid="image-warning">
          {w}
        </p>
      ))}
      {note && (
        <p class="error small" data-testid="image-refusal">
          {note.kind === 'refused' ? `Not in the set: ${note.message}` : `Not added yet: ${note.message}`}
        </p>
      )}
      <div class="actions">
        {note?.kind === 'failed' && (
          <button type="button" class="secondary" onClick={onRetry} aria-label={`Try image ${number} again`}>
            Try again
          </button>
        )}
        <button type="button" class="secondary" onClick={onRemove} aria-label={`Remove image ${number}`}>
          Remove
        </button>
      </div>
    </li>
  );
}

// "Image to prompt" from the context menu: the captured image put into words where the prompt
// is written. An empty prompt takes the words at once; a prompt already written is not touched
// until the designer chooses to replace it, add to it, or keep theirs. Words read from the
// pixels alone (no captioner configured) say so, since they name no subject.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ImageToPrompt } from '../../../shared/api/style';
import { pendingPrompt } from '../../lib/captures';
import { api, messageOf, withToken } from '../api';
import { useUserStored } from '../user';
import type { FormState } from './settings';

/** The designer's prompt with the described words after it, as one prompt. */
export function joinPrompt(mine: string, words: string): string {
  const kept = mine.trimEnd();
  if (!kept) return words;
  return /[.,;:!?]$/.test(kept) ? `${kept} ${words}` : `${kept}, ${words}`;
}

export const PIXELS_ONLY = 'Described from the image’s colour, light and framing only — it doesn’t name what’s in it.';

export function usePromptFromImage(form: FormState, setForm: (change: (form: FormState) => FormState) => void, onError: (message: string) => void) {
  const [source, setSource] = useUserStored(pendingPrompt);
  const [reading, setReading] = useState(false);
  const [described, setDescribed] = useState<ImageToPrompt | null>(null);
  const [offer, setOffer] = useState<ImageToPrompt | null>(null);
  // The prompt as it is when the answer arrives, not as it was when the image was sent.
  const latest = useRef(form);
  latest.current = form;

  useEffect(() => {
    if (!source) return;
    setReading(true);
    withToken((token) => api.imageToPrompt(token, source.image_id))
      .then((answer) => {
        setDescribed(answer);
        if (latest.current.prompt.trim()) setOffer(answer);
        else {
          setOffer(null);
          setForm((f) => ({ ...f, prompt: answer.prompt }));
        }
      })
      .catch((e) => onError(messageOf(e)))
      .finally(() => {
        setReading(false);
        void setSource(null);
      });
  }, [source?.id]);

  const answer = (choice: 'replace' | 'append' | 'keep') => {
    const words = offer!.prompt;
    if (choice !== 'keep') setForm((f) => ({ ...f, prompt: choice === 'replace' ? words : joinPrompt(f.prompt, words) }));
    setOffer(null);
  };
  // Said while words read from pixels alone are on offer or in the prompt.
  const pixelsOnly = described?.source === 'pixels' && (offer !== null || form.prompt.includes(described.prompt));

  const view = (
    <>
      {offer && (
        <div class="prompt-offer" role="group" aria-label="Described from the image" data-testid="prompt-offer">
          <p class="small">
            <span class="muted">Described from the image:</span> {offer.prompt}
          </p>
          <div class="row">
            <button type="button" onClick={() => answer('replace')}>
              Replace the prompt
            </button>
            <button type="button" class="secondary" onClick={() => answer('append')}>
              Add to it
            </button>
            <button type="button" class="link" onClick={() => answer('keep')}>
              Keep mine
            </button>
          </div>
        </div>
      )}
      {pixelsOnly && (
        <p class="muted small" data-testid="prompt-pixels-only">
          {PIXELS_ONLY}
        </p>
      )}
    </>
  );
  return { reading, view };
}

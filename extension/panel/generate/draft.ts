// The generate form's draft (model, prompt, batch, size, aspect), kept per user in
// storage.local, so a tab switch, a closed panel or a browser restart loses none of it. The
// chosen references are the user's references tray, kept beside it (lib/captures.ts).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { z } from 'zod';
import type { PublicModel } from '../../../shared/catalog/types';
import { useUserItem } from '../user';
import { blankDraft, draft } from './draft-store';
import { fitToModel, FormState } from './settings';

export { blankDraft, draft };

/** A kept draft as the catalog stands now: a model gone from it gives way to the first, settings it lacks to its own. */
export function restoreDraft(kept: z.input<typeof FormState> | null, models: PublicModel[]): FormState {
  const model = models.find((m) => m.id === kept?.modelId) ?? models[0]!;
  return fitToModel({ ...blankDraft, ...kept }, model);
}

/**
 * The form's state, read from the signed-in user's draft and written back on every change.
 * A change made before the draft has been read wins over it.
 */
export function useDraft(models: PublicModel[]): [FormState, (change: (form: FormState) => FormState) => void] {
  const item = useUserItem(draft);
  const [form, setForm] = useState(() => restoreDraft(null, models));
  const current = useRef(form);
  const changed = useRef(false);

  useEffect(() => {
    let alive = true;
    void item.getValue().then((kept) => {
      if (!alive || changed.current || !kept) return;
      current.current = restoreDraft(kept, models);
      setForm(current.current);
    });
    return () => {
      alive = false;
    };
  }, [item]);

  // What this form wrote, so the echo of its own writes is not taken for a change made elsewhere
  // (the background choosing Agentic for "Add to Agentic references", the studio's "Generate with").
  const written = useRef(new Set<string>());
  useEffect(
    () =>
      item.watch((kept) => {
        if (!kept || written.current.has(JSON.stringify(kept))) return;
        current.current = restoreDraft(kept, models);
        setForm(current.current);
      }),
    [item],
  );

  const change = (step: (form: FormState) => FormState) => {
    changed.current = true;
    current.current = step(current.current);
    setForm(current.current);
    written.current.add(JSON.stringify(FormState.parse(current.current)));
    if (written.current.size > 50) written.current.delete(written.current.values().next().value!);
    // Written at once, not after a pause: the panel may close the moment after typing.
    void item.setValue(current.current);
  };
  return [form, change];
}

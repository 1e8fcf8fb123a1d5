// The tray and its server training set kept in step: the tray is what the creator curates (in
// the panel or here), and the set follows it one change at a time: images added (refused ones
// keep the server's reason), descriptions saved after typing pauses, removed images taken out.
// One sync runs at a time; a change during it runs another after.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TrainingSet } from '../../../shared/api/styles';
import { ApiError } from '../../lib/api-client';
import type { TrainingItem } from '../../lib/captures';
import { messageOf, withToken } from '../../panel/api';
import { stylesApi } from '../styles/api';

/** How long typing must pause before a description is saved. */
export const DESCRIBE_DEBOUNCE_MS = 600;

/** Why a tray image is not in the set: refused by the server (in its words), or the call failed. */
export type ImageNote = { kind: 'refused' | 'failed'; message: string };

/** Refusals that no retry changes: the image itself is the problem. */
const isRefusal = (e: unknown) => e instanceof ApiError && [403, 404, 422].includes(e.status);

export interface TrainingSetState {
  set: TrainingSet | null;
  /** Per tray item id. */
  notes: Record<string, ImageNote>;
  /** Descriptions typed but not yet saved, or images not yet sent. */
  syncing: boolean;
  error: string;
  /** Forgets a failed add so the next sync tries again. */
  retry(itemId: string): void;
}

export function useTrainingSet(setId: string | null, tray: TrainingItem[], trayLoaded: boolean, onSetGone: () => void): TrainingSetState {
  const [set, setSet] = useState<TrainingSet | null>(null);
  const [notes, setNotes] = useState<Record<string, ImageNote>>({});
  const [error, setError] = useState('');
  const [syncing, setSyncing] = useState(false);
  const latest = useRef({ tray, set, notes });
  latest.current = { tray, set, notes };
  const running = useRef(false);
  const again = useRef(false);
  /** Descriptions already sent for each image (so a refused one is not sent again and again). */
  const sent = useRef(new Map<string, string>());
  /** Whether the view is still shown: a sync under way stops between calls once it is not. */
  const shown = useRef(true);
  useEffect(
    () => () => {
      shown.current = false;
    },
    [],
  );

  useEffect(() => {
    setSet(null);
    sent.current.clear();
    if (!setId) return;
    withToken((token) => stylesApi.trainingSet(token, setId))
      .then(setSet)
      .catch((e) => {
        if (e instanceof ApiError && e.status === 404) onSetGone();
        else setError(messageOf(e));
      });
  }, [setId]);

  async function sync() {
    if (running.current) return void (again.current = true);
    running.current = true;
    setSyncing(true);
    try {
      do {
        again.current = false;
        await syncOnce();
      } while (again.current && shown.current);
    } finally {
      running.current = false;
      setSyncing(pending(latest.current.tray, latest.current.set, latest.current.notes, sent.current));
    }
  }

  async function syncOnce() {
    const { tray, set, notes } = latest.current;
    if (!set || !setId) return;
    let changed = false;
    const wanted = new Set(tray.filter((t) => t.status === 'ready').map((t) => t.image_id));
    for (const image of set.images) {
      if (wanted.has(image.image_id) || !shown.current) continue;
      try {
        await withToken((token) => stylesApi.removeTrainingImage(token, setId, image.image_id));
        changed = true;
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) setError(messageOf(e));
      }
    }
    const inSet = new Set(set.images.map((i) => i.image_id));
    for (const item of tray) {
      if (item.status !== 'ready' || notes[item.id] || inSet.has(item.image_id) || !shown.current) continue;
      inSet.add(item.image_id);
      try {
        await withToken((token) => stylesApi.addTrainingImage(token, setId, item.image_id, item.description.trim()));
        sent.current.set(item.image_id, item.description.trim());
        changed = true;
      } catch (e) {
        const note: ImageNote = { kind: isRefusal(e) ? 'refused' : 'failed', message: messageOf(e) };
        setNotes((all) => ({ ...all, [item.id]: note }));
        latest.current.notes = { ...latest.current.notes, [item.id]: note };
      }
    }
    for (const image of set.images) {
      const item = tray.find((t) => t.image_id === image.image_id);
      const description = item?.description.trim();
      if (description === undefined || description === image.description || sent.current.get(image.image_id) === description || !shown.current) continue;
      sent.current.set(image.image_id, description);
      try {
        await withToken((token) => stylesApi.describeTrainingImage(token, setId, image.image_id, description));
        changed = true;
      } catch (e) {
        setError(messageOf(e));
      }
    }
    if (changed && shown.current) {
      const fresh = await withToken((token) => stylesApi.trainingSet(token, setId));
      latest.current.set = fresh;
      setSet(fresh);
      setError('');
    }
  }

  // Adds and removals at once; descriptions once typing pauses.
  useEffect(() => {
    if (!set || !trayLoaded) return;
    setSyncing(pending(tray, set, notes, sent.current));
    const timer = setTimeout(() => void sync().catch((e) => setError(messageOf(e))), DESCRIBE_DEBOUNCE_MS);
    if (membershipDiffers(tray, set, notes)) void sync().catch((e) => setError(messageOf(e)));
    return () => clearTimeout(timer);
  }, [tray, set, trayLoaded]);

  return {
    set,
    notes,
    syncing,
    error,
    retry(itemId) {
      setNotes(({ [itemId]: _gone, ...rest }) => rest);
    },
  };
}

function membershipDiffers(tray: TrainingItem[], set: TrainingSet, notes: Record<string, ImageNote>): boolean {
  const ready = tray.filter((t) => t.status === 'ready' && !notes[t.id]);
  const trayIds = new Set(tray.filter((t) => t.status === 'ready').map((t) => t.image_id));
  const setIds = new Set(set.images.map((i) => i.image_id));
  return ready.some((t) => !setIds.has(t.image_id)) || set.images.some((i) => !trayIds.has(i.image_id));
}

/** Whether the set does not yet say what the tray says. */
function pending(tray: TrainingItem[], set: TrainingSet | null, notes: Record<string, ImageNote>, sent: Map<string, string>): boolean {
  if (!set) return false;
  if (membershipDiffers(tray, set, notes)) return true;
  return set.images.some((image) => {
    const item = tray.find((t) => t.image_id === image.image_id);
    // A description the server refused (too long) is not waited for: its error is shown.
    return item !== undefined && item.description.trim() !== image.description && sent.get(image.image_id) !== item.description.trim();
  });
}

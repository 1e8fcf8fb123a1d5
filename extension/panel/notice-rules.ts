// When a capture notice stops being true: one waiting on something (a prompt being read, a pin
// to name) lasts while that is pending; "Added…" and the like pass after a few seconds; an
// error stays until dismissed or replaced.
import type { CaptureNotice } from '../lib/captures';

export const NOTICE_MS = 6000;

export interface Pending {
  prompt: boolean;
  pin: boolean;
}

/** Whether the notice still holds now, and when it stops holding if that is a matter of time. */
export function noticeHolds(notice: CaptureNotice, pending: Pending, now: number): { holds: boolean; until?: number } {
  if (notice.while === 'reading_prompt') return { holds: pending.prompt };
  if (notice.while === 'naming_pin') return { holds: pending.pin };
  if (notice.kind === 'error') return { holds: true };
  const until = Date.parse(notice.at) + NOTICE_MS;
  return { holds: now < until, until };
}

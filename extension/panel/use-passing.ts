// A line that says what just happened ("Pinned “Ada”…") and passes after a few seconds, as
// capture notices do: it stops being news.
import { useEffect, useState } from 'preact/hooks';
import { NOTICE_MS } from './notice-rules';

export function usePassing(ms = NOTICE_MS): [string, (message: string) => void] {
  // Kept with the moment it was said, so the same words said again start their time afresh.
  const [said, setSaid] = useState({ message: '', at: 0 });
  useEffect(() => {
    if (!said.message) return;
    const timer = setTimeout(() => setSaid({ message: '', at: 0 }), ms);
    return () => clearTimeout(timer);
  }, [said]);
  return [said.message, (message) => setSaid({ message, at: Date.now() })];
}

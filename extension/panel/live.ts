// The signed-in studio's live channel, shared by its views: what the API publishes (credits,
// generations) arrives here and is applied at once. Views poll only while it is down.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { EventData, EventType } from '../../shared/api/events';
import { connectLive, type LiveConnection } from '../lib/live';
import { api, withToken } from './api';

export const Live = createContext<LiveConnection | null>(null);

/** Opens the channel for as long as the studio is shown. */
export function useLiveConnection(userId: string): LiveConnection | null {
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  useEffect(() => {
    const opened = connectLive({ ticket: () => withToken((token) => api.ticket(token)) });
    setConnection(opened);
    return () => opened.close();
  }, [userId]);
  return connection;
}

/** Calls `fn` with each message of `type` while the view is shown. */
export function useLiveEvent<T extends EventType>(type: T, fn: (data: EventData<T>) => void): void {
  const live = useContext(Live);
  useEffect(() => live?.subscribe(type, (data) => fn(data)), [live, type]);
}

/** Whether the channel is open now (false while connecting, down, or absent): the views poll only then. */
export function useLiveUp(): boolean {
  const live = useContext(Live);
  const [up, setUp] = useState(live?.connected ?? false);
  useEffect(() => {
    if (!live) return;
    setUp(live.connected);
    return live.watch(setUp);
  }, [live]);
  return up;
}

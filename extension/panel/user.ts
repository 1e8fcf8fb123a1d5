// Who the studio is open for: every stored item the panel reads or writes is this user's own
// (see defineUserStored), so the studio is rebuilt whenever the signed-in user changes.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from '../../shared/api/auth';
import type { StoredItem, UserStored } from '../lib/stored';
import { useStored } from './use-stored';

export const SignedInUser = createContext<User | null>(null);

export function useUser(): User {
  const user = useContext(SignedInUser);
  if (!user) throw new Error('useUser is for the signed-in studio only');
  return user;
}

/** This user's item. */
export function useUserItem<T>(item: UserStored<T>): StoredItem<T> {
  return item.of(useUser().id);
}

/** This user's stored value, as state that follows every change. */
export function useUserStored<T>(item: UserStored<T>) {
  return useStored(useUserItem(item));
}

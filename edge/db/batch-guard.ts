// A condition work must meet, checked inside that work's own D1 batch instead of in a round
// trip before it: the guard's reads and counts travel with the work, its first write carries
// the condition (the rest follow that write), and the batch's results say whether it ran.
import type { SQL } from 'drizzle-orm';
import type { BatchItem } from './client';

export interface BatchGuard {
  /** True where the work may be written, as it stands inside the batch. */
  condition: SQL;
  /** The batch to send: `work` with the guard's own statements around it. */
  around(work: BatchItem[]): [BatchItem, ...BatchItem[]];
  /**
   * After that batch committed: throws the guard's refusal if its condition was false (then
   * nothing of the work was written), else answers the results of `work`'s own statements.
   */
  settle(results: unknown[]): Promise<unknown[]>;
}

// Recognising which constraint aborted a D1 batch, so a rule broken in SQL becomes the
// right answer (402 for an overdraft, a replay for a reused idempotency key).
function message(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 4; e = e.cause) parts.push(e.message);
  return parts.join(' | ');
}

/** A CHECK constraint by its name, e.g. "available_not_negative". */
export function violatesCheck(error: unknown, name: string): boolean {
  return new RegExp(`CHECK constraint failed: [^|]*\\b${name}\\b`).test(message(error));
}

/** A UNIQUE constraint on a table, e.g. "ledger_entries". */
export function violatesUnique(error: unknown, table: string): boolean {
  return new RegExp(`UNIQUE constraint failed: ${table}\\.`).test(message(error));
}

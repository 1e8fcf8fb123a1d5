// Failures as the extension carries them: the API's problem+json, or one of our own in the
// same shape. Free of zod, so the capture script injected into pages can use it too.
import type { Problem } from '../../shared/api/problem';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
  }
  get status() {
    return this.problem.status;
  }
  get code() {
    return this.problem.code;
  }
}

/** A problem made by the extension itself. */
export function localProblem(code: string, detail: string, status = 0): Problem {
  return { type: `/problems/${code}`, title: code, status, detail, code };
}

/** What a designer reads while credits are owing (a refund or a lost dispute took back more than was left). */
export function owingWords(owed?: number): string {
  const amount = owed === undefined ? 'credits' : `${owed.toLocaleString('en')} credit${owed === 1 ? '' : 's'}`;
  return `A refunded purchase left ${amount} owing. Buy credits to settle it; until then nothing can be spent.`;
}

/**
 * What the panel says for a problem: the API's own detail, except where the panel words it
 * itself. A server that takes no payments answers the checkout `service_unavailable` in words
 * for whoever runs it; a designer needs to know nothing was charged. `account_owing` says the
 * way out in the panel's words when the problem carries the amount owed, else the API's.
 */
export function problemWords(problem: Problem): string {
  switch (problem.code) {
    case 'service_unavailable':
      return 'This Exactly server cannot take payments yet, so nothing was charged. Try again later.';
    case 'account_owing':
      return typeof problem.owed === 'number' ? owingWords(problem.owed) : problem.detail || owingWords();
    default:
      return problem.detail;
  }
}

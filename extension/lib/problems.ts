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

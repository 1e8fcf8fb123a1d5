// Errors the domain raises in the product's own words; the HTTP layer maps each code to a
// status and the one problem+json shape.
import type { FieldError, ProblemCode } from '../../shared/api/problem';

export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} was not found.`);

export const validationFailed = (errors: FieldError[], detail = 'Some fields need another look.') =>
  new DomainError('validation_failed', detail, { errors });

export const unauthorized = (detail = 'Sign in to continue.') => new DomainError('unauthorized', detail);

export const conflict = (detail: string) => new DomainError('conflict', detail);

export const insufficientCredits = (needed: number, available: number) =>
  new DomainError(
    'insufficient_credits',
    `This needs ${needed} credit${needed === 1 ? '' : 's'} and ${available} ${available === 1 ? 'is' : 'are'} available.`,
    { needed, available },
  );

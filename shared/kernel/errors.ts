/**
 * Domain errors. None of them knows HTTP: shared/http/faults.ts is the only
 * place that turns them into a status and a Karbor fault name.
 */

/** Each class names itself: Lambda bundles are minified without keepNames, so a class's own name is not kept. */
abstract class DomainError extends Error {}

/** The caller's input is wrong (Karbor's `Invalid` family: 400). */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
}

/** The request carries no credentials the identity service accepts (401; keystone mode). */
export class UnauthenticatedError extends DomainError {
  override name = 'UnauthenticatedError';
}

/** A service this request needs cannot answer now (503), e.g. Keystone. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
}

/** The thing asked for does not exist, or is not visible to the caller (404). */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

/** The caller may not do this (Karbor's `NotAuthorized` family: 403). */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

/** The request collides with the current state of a stored item (409). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/**
 * A command's condition no longer held when it was written: the item is
 * gone or no longer in the state the command required, and nothing was
 * written. Every store command reports a lost condition by this error (or a
 * subclass: a job's lost lease); a use case that expects the race turns it
 * into its own answer, one it does not expect is a 409. Probes with several
 * normal outcomes (a job claim: claimed, inactive, held) return a union.
 */
export class ConditionLostError extends ConflictError {
  override name = 'ConditionLostError';
}

/** For a `.catch`: a lost condition is an expected outcome here (the item moved on), any other error is not. */
export const ignoreConditionLost = (error: unknown): void => {
  if (!(error instanceof ConditionLostError)) throw error;
};

/** Something this depends on is in use or failed (Karbor answers 424, e.g. a trigger in use). */
export class DependencyError extends DomainError {
  override name = 'DependencyError';
}

/** A quota would be exceeded (413 with Retry-After: 0). */
export class QuotaExceededError extends DomainError {
  override name = 'QuotaExceededError';
}

/** A stored item would exceed what the store can hold (413). */
export class TooLargeError extends DomainError {
  override name = 'TooLargeError';
}

/** A known path asked with a method it does not route (405). */
export class MethodNotAllowedError extends DomainError {
  override name = 'MethodNotAllowedError';
}

/** A failure Karbor reports as a 500 with its own text (plugin errors, flows). */
export class ServiceError extends DomainError {
  override name = 'ServiceError';
}

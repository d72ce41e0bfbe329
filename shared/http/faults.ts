import {
  ConflictError,
  DependencyError,
  ForbiddenError,
  InvalidInputError,
  MethodNotAllowedError,
  NotFoundError,
  QuotaExceededError,
  ServiceError,
  TooLargeError,
  UnauthenticatedError,
  UnavailableError,
} from '../kernel/errors';

/** Karbor's fault body: `{"<faultName>": {"code": N, "message": "..."}}` (karbor/api/openstack/wsgi.py `Fault`). */
interface FaultBody {
  [faultName: string]: { code: number; message: string; retryAfter?: string };
}

/** Fault names by status, from Karbor's `Fault._fault_names`; anything else is `computeFault`. */
const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

/** The one table from error class to HTTP status. Order matters only for subclasses. */
const STATUS_BY_ERROR: Array<[new (...args: never[]) => Error, number]> = [
  [InvalidInputError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [MethodNotAllowedError, 405],
  [ConflictError, 409],
  [QuotaExceededError, 413],
  [TooLargeError, 413],
  [DependencyError, 424],
  [ServiceError, 500],
  [UnavailableError, 503],
];

/** Karbor's text for a 500 it did not expect; the real error goes to the log only. */
export const UNEXPECTED_MESSAGE = 'The server has either erred or is incapable of performing the requested operation.';

export const faultName = (status: number): string => FAULT_NAMES[status] ?? 'computeFault';

/** The status for a known domain error, or undefined for anything unexpected. */
export const statusOf = (error: unknown): number | undefined => STATUS_BY_ERROR.find(([type]) => error instanceof type)?.[1];

export const faultBody = (status: number, message: string): FaultBody => {
  const body: FaultBody = { [faultName(status)]: { code: status, message } };
  // Karbor adds retryAfter to every 413 and always says "0".
  if (status === 413) body[faultName(status)].retryAfter = '0';
  return body;
};

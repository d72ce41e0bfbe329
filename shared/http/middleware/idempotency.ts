import type { MiddlewareObj } from '@middy/core';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { idempotencyStore } from '../../dynamo/idempotency-store';
import { ConflictError, InvalidInputError } from '../../kernel/errors';
import type { KarborEvent, KarborResult } from '../event';

/** How long a key's first answer is kept: a day, as Stripe and the IETF draft suggest. */
export const IDEMPOTENCY_SECONDS = 24 * 60 * 60;
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** A key is an opaque printable string, bounded like any other input. */
const KEY_TEXT = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on a creating POST: the same key and body within a day
 * answer the first answer (marked `Idempotent-Replayed: true`) and create
 * nothing; the same key with another body, or while the first request still
 * runs, is a 409. The key is scoped by caller and route; only successes are
 * kept (a fault deletes the record, so a retry runs again). Without the
 * header nothing changes. Built on Powertools' idempotency utility, placed
 * inside the faults middleware so its errors become Karbor faults.
 */
export const idempotency = (): MiddlewareObj<KarborEvent, KarborResult> => {
  const inner = makeHandlerIdempotent({
    persistenceStore: idempotencyStore(),
    config: new IdempotencyConfig({
      // Null without the header (`&&`), which turns idempotency off for the request. Scoped by the
      // caller auth() found, not the URL: another project's key can never replay this one's answer.
      eventKeyJmesPath: `headers."${IDEMPOTENCY_HEADER}" && [identity.projectId, identity.userId, pathParameters.project_id, routeKey, headers."${IDEMPOTENCY_HEADER}"]`,
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: IDEMPOTENCY_SECONDS,
      hashFunction: 'sha256',
      responseHook: (response) => {
        const r = response as { headers?: Record<string, string> };
        return { ...r, headers: { ...(r.headers ?? {}), [REPLAYED_HEADER]: 'true' } };
      },
    }),
  });
  return {
    before: async (request) => {
      const key = request.event.headers?.[IDEMPOTENCY_HEADER];
      if (key !== undefined && !KEY_TEXT.test(key)) throw new InvalidInputError('Idempotency-Key must be 1 to 255 printable ASCII characters.');
      try {
        return await inner.before!(request as never);
      } catch (error) {
        if (error instanceof IdempotencyValidationError) {
          throw new ConflictError('This Idempotency-Key was used with another request body.');
        }
        if (error instanceof IdempotencyAlreadyInProgressError) {
          throw new ConflictError('A request with this Idempotency-Key is still in progress; retry later.');
        }
        throw error;
      }
    },
    after: inner.after as never,
    onError: inner.onError as never,
  };
};

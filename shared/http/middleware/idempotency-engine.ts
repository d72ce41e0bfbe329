import type { MiddlewareObj } from '@middy/core';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { idempotencyStore } from '../../dynamo/idempotency-store';
import { ConflictError } from '../../kernel/errors';
import type { KarborEvent, KarborResult } from '../event';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_SECONDS, REPLAYED_HEADER } from './idempotency';

/**
 * Powertools' idempotency middleware as ./idempotency.ts uses it, imported
 * by the first request that carries an Idempotency-Key (issue #15, cold start).
 */
export const idempotencyEngine = (): Required<Pick<MiddlewareObj<KarborEvent, KarborResult>, 'before' | 'after' | 'onError'>> => {
  const inner = makeHandlerIdempotent({
    persistenceStore: idempotencyStore(),
    config: new IdempotencyConfig({
      // Scoped by the caller auth() found, not the URL: another project's key can never replay this one's answer.
      eventKeyJmesPath: `[identity.projectId, identity.userId, pathParameters.project_id, routeKey, headers."${IDEMPOTENCY_HEADER}"]`,
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

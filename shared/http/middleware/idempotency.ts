import type { MiddlewareObj, Request } from '@middy/core';
import { lazily } from '../../kernel/lazy';
import { perRuntime } from '../../runtime-host';
import { InvalidInputError } from '../../kernel/errors';
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
 * header nothing changes. Built on Powertools' idempotency utility
 * (./idempotency-engine.ts, imported by the first request with the header:
 * issue #15, cold start), placed inside the faults middleware so its errors
 * become Karbor faults.
 */
export const idempotency = (): MiddlewareObj<KarborEvent, KarborResult> => {
  // One engine per runtime: its persistence writes to that runtime's table.
  const engines = perRuntime(() => lazily(async () => (await import('./idempotency-engine')).idempotencyEngine()));
  const engine = () => engines()();
  // The requests the engine saw in `before`: only they have its state for `after` and `onError`.
  const keyed = new WeakSet<Request<KarborEvent, KarborResult>>();
  return {
    before: async (request) => {
      const key = request.event.headers?.[IDEMPOTENCY_HEADER];
      if (key === undefined) return;
      if (!KEY_TEXT.test(key)) throw new InvalidInputError('Idempotency-Key must be 1 to 255 printable ASCII characters.');
      const inner = await engine();
      keyed.add(request);
      return inner.before(request);
    },
    after: async (request) => {
      if (keyed.has(request)) await (await engine()).after(request);
    },
    onError: async (request) => {
      if (keyed.has(request)) await (await engine()).onError(request);
    },
  };
};

import type { MiddlewareObj } from '@middy/core';
import { randomUUID } from 'node:crypto';
import type { KarborEvent, KarborResult } from '../event';

interface RequestIdOptions {
  header: string;
  generate: () => string;
}

const defaults: RequestIdOptions = {
  header: 'X-Openstack-Request-Id',
  generate: () => `req-${randomUUID()}`,
};

/** Gives every request Karbor's `req-<uuid>` id and returns it on every response, errors included. */
export const requestId = (opts: Partial<RequestIdOptions> = {}): MiddlewareObj<KarborEvent, KarborResult> => {
  const o = { ...defaults, ...opts };
  const requestIdBefore: MiddlewareObj<KarborEvent, KarborResult>['before'] = async (request) => {
    request.event.karborRequestId = o.generate();
  };
  const requestIdAfter: MiddlewareObj<KarborEvent, KarborResult>['after'] = async (request) => {
    if (!request.response) return;
    request.response.headers = { ...request.response.headers, [o.header]: request.event.karborRequestId ?? o.generate() };
  };
  return { before: requestIdBefore, after: requestIdAfter, onError: requestIdAfter };
};

import type { MiddlewareObj } from '@middy/core';
import type { KarborEvent, KarborResult } from '../event';
import { requestUrl } from '../event';
import { faultBody, statusOf, UNEXPECTED_MESSAGE } from '../faults';
import { LoginRequired } from '../login-required';
import { jsonResponse } from '../response';
import type { Log } from '../../kernel/ports';
import { jsonLog } from '../../observability/log';

interface FaultsOptions {
  log: Log;
}

const defaults: FaultsOptions = { log: jsonLog };

/**
 * Karbor's noauth reply to a request without a token: 204 and the token to
 * use (`X-Auth-User`/`X-Auth-Project-Id`, default `admin`).
 */
const loginReply = (event: KarborEvent): KarborResult => {
  const user = event.headers?.['x-auth-user'] ?? 'admin';
  const project = event.headers?.['x-auth-project-id'] ?? 'admin';
  return {
    statusCode: 204,
    headers: {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-Auth-Token': `${user}:${project}`,
      'X-Server-Management-Url': `${requestUrl(event)}/${project}`,
    },
    body: '',
  };
};

/** The one place errors become responses: typed errors get their fault, anything else a fixed 500. */
export const faults = (opts: Partial<FaultsOptions> = {}): MiddlewareObj<KarborEvent, KarborResult> => {
  const o = { ...defaults, ...opts };
  const faultsOnError: MiddlewareObj<KarborEvent, KarborResult>['onError'] = async (request) => {
    const { error, event } = request;
    if (error instanceof LoginRequired) {
      request.response = loginReply(event);
      return;
    }
    const status = statusOf(error);
    if (status === undefined || status >= 500) {
      o.log({
        level: 'ERROR',
        message: 'request failed',
        requestId: event.karborRequestId,
        method: event.requestContext?.http?.method,
        path: event.rawPath,
        error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
      });
    }
    const message = status === undefined ? UNEXPECTED_MESSAGE : (error as Error).message;
    request.response = jsonResponse(status ?? 500, faultBody(status ?? 500, message));
    // Karbor's 413 carries the header as well as the body's retryAfter (docs/contract.md §3.1).
    if (status === 413) request.response.headers['Retry-After'] = '0';
  };
  return { onError: faultsOnError };
};

import type { MiddlewareObj } from '@middy/core';
import type { KarborEvent, KarborResult } from '../event';
import { requestLogger, type RequestLogEntry } from '../../observability/logger';

/** The fault's message from a Karbor fault body (`{"badRequest": {"code": 400, "message": "..."}}`). */
const faultMessage = (body: string | undefined): string | undefined => {
  try {
    const fault = Object.values(JSON.parse(body ?? '') as Record<string, { message?: unknown }>)[0];
    return typeof fault?.message === 'string' ? fault.message : undefined;
  } catch {
    return undefined;
  }
};

/**
 * One log line per request, whatever its outcome: method, route id, status,
 * latency, Karbor's request id (what the CLI prints) and API Gateway's, the
 * caller's project and user, and on a 4xx/5xx the fault's message. Never
 * headers, tokens or bodies (a restore's `restore_auth` is in one). Outermost,
 * so it sees the answer the caller gets.
 */
export const requestLog = (routeId: string, log: (entry: RequestLogEntry) => void = requestLogger()): MiddlewareObj<KarborEvent, KarborResult> => {
  const started = new WeakMap<object, number>();
  const before: MiddlewareObj<KarborEvent, KarborResult>['before'] = async (request) => {
    started.set(request.event, Date.now());
  };
  const after: MiddlewareObj<KarborEvent, KarborResult>['after'] = async (request) => {
    const { event, response } = request;
    const status = response?.statusCode ?? 500;
    log({
      message: 'request',
      method: event.requestContext?.http?.method,
      route: routeId,
      status,
      latencyMs: Date.now() - (started.get(event) ?? Date.now()),
      requestId: event.karborRequestId,
      apiRequestId: event.requestContext?.requestId,
      project: event.identity?.projectId || undefined,
      user: event.identity?.userId || undefined,
      ...(status >= 400 ? { fault: faultMessage(response?.body) } : {}),
    });
  };
  return { before, after, onError: after };
};

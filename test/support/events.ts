import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { toHttpApiEvent } from '../../infra/local/http-api-event';
import { lambdaContext } from '../../infra/local/http-api-event';
import { matchRoute } from '../../shared/http/route-match';

/** Builds the payload 2.0 event the local server (and API Gateway) would send, with the same code. */
export const httpEvent = (
  method: string,
  url: string,
  opts: { token?: string | null; body?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 => {
  const [rawPath, rawQueryString = ''] = url.split('?');
  const headers: Record<string, string> = { host: '127.0.0.1:8799', ...(opts.headers ?? {}) };
  const project = /^\/v1\/([^/]+)/.exec(rawPath)?.[1] ?? 'admin';
  const token = opts.token === undefined ? `admin:${project}` : opts.token;
  if (token !== null) headers['x-auth-token'] = token;
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  const match = matchRoute(method, rawPath);
  return toHttpApiEvent(
    { method, rawPath, rawQueryString, headers, body: Buffer.from(opts.body ?? ''), sourceIp: '127.0.0.1' },
    match.kind === 'route' ? match.route : undefined,
    match.kind === 'route' ? match.pathParameters : undefined,
  );
};

export const context = (name = 'test') => lambdaContext(name, 10);

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Identity } from '../kernel/identity';
import * as config from '../config';

/** The payload 2.0 event, plus what our middlewares learn about it. */
export type KarborEvent = APIGatewayProxyEventV2 & {
  /** Set by requestId(): `req-<uuid>`. */
  karborRequestId?: string;
  /** Set by auth(). */
  identity?: Identity;
  /** Set by jsonBody(): the parsed JSON, or undefined for no body. */
  parsedBody?: unknown;
};

export type KarborResult = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string | number | boolean> };

export type { Context };

/** The API base without a trailing slash, as a caller reaches it (`KARBOR_PUBLIC_URL` overrides, like Karbor's `osapi_karbor_base_URL`). */
export const baseUrl = (event: APIGatewayProxyEventV2): string => {
  const configured = config.publicUrl();
  if (configured) return configured;
  const proto = event.headers?.['x-forwarded-proto'] ?? 'https';
  const host = event.headers?.host ?? event.requestContext.domainName;
  return `${proto}://${host}`;
};

/** The full URL the caller asked for (without the query string). */
export const requestUrl = (event: APIGatewayProxyEventV2): string => `${baseUrl(event)}${event.rawPath}`;

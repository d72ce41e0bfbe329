import type { MiddlewareObj } from '@middy/core';
import { InvalidInputError } from '../../kernel/errors';
import { parseJsonBody } from '../body-guard';
import type { KarborEvent, KarborResult } from '../event';

const isJson = (contentType: string | undefined): boolean => (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/json';

/**
 * Parses a JSON body into `event.parsedBody`, like Karbor's deserialiser:
 * only a non-empty body is read. Deliberate difference: a non-empty body that
 * is not `application/json` is a 400 (Karbor ignores it and then crashes),
 * and every body passes the size, depth, integer and `__proto__` checks of ../body-guard.ts.
 */
export const jsonBody = (): MiddlewareObj<KarborEvent, KarborResult> => {
  const jsonBodyBefore: MiddlewareObj<KarborEvent, KarborResult>['before'] = async (request) => {
    const { event } = request;
    const raw = event.body && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (raw === undefined || raw === null || raw.length === 0) return;
    if (!isJson(event.headers?.['content-type'])) throw new InvalidInputError('Unsupported Content-Type');
    event.parsedBody = parseJsonBody(raw);
  };
  return { before: jsonBodyBefore };
};

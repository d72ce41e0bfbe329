import middy from '@middy/core';
import type * as z from 'zod';
import * as config from '../config';
import type { Identity } from '../kernel/identity';
import { InvalidInputError } from '../kernel/errors';
import type { Context, KarborEvent, KarborResult } from './event';
import { access } from './middleware/access';
import { auth } from './middleware/auth';
import { faults } from './middleware/faults';
import { jsonBody } from './middleware/json-body';
import { requestLog } from './middleware/request-log';
import { requestId } from './middleware/request-id';
import { type EMPTY_BODY, jsonResponse } from './response';
import { routeById, type RouteDef, type RouteId } from './routes';
import { parseWith } from './validation';

/** What a handler's use case receives: validated input and the caller. */
interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  identity: Identity;
  event: KarborEvent;
  route: RouteDef;
}

interface RouteSchemas<P, Q, B, V> {
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** Present means the action needs a body: none at all is a 400. */
  body?: z.ZodType<B>;
  /**
   * Applied to the body before `body` parses it, so a 400 that quotes the
   * request never shows what it hides (restore_auth); the action gets the result.
   */
  redact?: (body: unknown) => unknown;
  /** The success body (documentation only: `present` must return this type); none = empty body. */
  response?: z.ZodType<V>;
  /** Success status; Karbor answers 200 to everything but the root versions document. */
  status?: number;
}

/**
 * What a handler enforces and answers, attached to it as `routeSpec` so the
 * OpenAPI generator (infra/openapi/) reads the very schemas the route parses
 * with, without any handler bundle importing the generator.
 */
export interface RouteSpec {
  id: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  status: number;
}

/** The spec a handler module's `handler` carries, if route() made it. */
export const routeSpecOf = (handler: unknown): RouteSpec | undefined =>
  typeof handler === 'function' ? (handler as { routeSpec?: RouteSpec }).routeSpec : undefined;

const ANONYMOUS: Identity = { userId: '', projectId: '', roles: [], isAdmin: false };

/**
 * The one handler factory: request log, request id, auth, JSON body and faults around a
 * thin action. Validation order follows Karbor's pipeline (contract §1.2): body JSON,
 * project in the URL, then (deliberately) an admin route's policy before the body schema,
 * then path and query.
 */
export const route = <P = Record<string, never>, Q = Record<string, never>, B = undefined, R = unknown, V = unknown>(
  id: RouteId,
  schemas: RouteSchemas<P, Q, B, V>,
  action: (input: RouteInput<P, Q, B>) => Promise<R>,
  present: (result: R, input: RouteInput<P, Q, B>) => NoInfer<V> | typeof EMPTY_BODY = (result) => result as unknown as V,
) => {
  // The settings every route reads: a bad value stops the function as it starts (shared/config.ts);
  // auth() reads the auth mode's as it is built.
  config.publicUrl();
  const def = routeById(id);
  const handler = middy<KarborEvent, KarborResult, Error, Context>()
    .use(requestLog(def.id))
    .use(requestId())
    .use(auth({ public: def.public ?? false }))
    .use(jsonBody())
    .use(access(def.role === 'admin' ? { adminPolicy: def.policy } : {}))
    .use(faults())
    .handler(async (event) => {
      const identity = event.identity ?? ANONYMOUS;
      let body = undefined as B;
      if (schemas.body) {
        if (event.parsedBody === undefined) throw new InvalidInputError('Malformed request body');
        body = parseWith(schemas.body, schemas.redact ? schemas.redact(event.parsedBody) : event.parsedBody);
      }
      const params = schemas.params ? parseWith(schemas.params, event.pathParameters ?? {}) : ({} as P);
      const query = schemas.query ? parseWith(schemas.query, event.queryStringParameters ?? {}) : ({} as Q);
      const input: RouteInput<P, Q, B> = { params, query, body, identity, event, route: def };
      return jsonResponse(schemas.status ?? 200, present(await action(input), input));
    });
  const { params, query, body, response, status = 200 } = schemas;
  const routeSpec: RouteSpec = { id, params, query, body, response, status };
  return Object.assign(handler, { routeSpec });
};

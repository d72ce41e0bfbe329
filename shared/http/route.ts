import middy from '@middy/core';
import type * as z from 'zod';
import * as config from '../config';
import type { Identity } from '../kernel/identity';
import { InvalidInputError } from '../kernel/errors';
import type { Context, KarborEvent, KarborResult } from './event';
import { auth } from './middleware/auth';
import { faults } from './middleware/faults';
import { jsonBody } from './middleware/json-body';
import { requestLog } from './middleware/request-log';
import { requestId } from './middleware/request-id';
import { jsonResponse } from './response';
import { routeById, type RouteDef } from './routes';
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

interface RouteSchemas<P, Q, B> {
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** Present means the action needs a body: none at all is a 400. */
  body?: z.ZodType<B>;
  /** Success status; Karbor answers 200 to everything but the root versions document. */
  status?: number;
}

/** Keystone's project ids are 64 characters; noauth project names get Karbor's 255. */
const MAX_PROJECT_ID_LENGTH = 255;

const ANONYMOUS: Identity = { userId: '', projectId: '', roles: [], isAdmin: false };

/**
 * The one handler factory: request log, request id, auth, JSON body and faults around a
 * thin action. Validation order follows Karbor's pipeline: project in the URL,
 * body schema, policy, then path and query.
 */
export const route = <P = Record<string, never>, Q = Record<string, never>, B = undefined, R = unknown>(
  id: string,
  schemas: RouteSchemas<P, Q, B>,
  action: (input: RouteInput<P, Q, B>) => Promise<R>,
  present: (result: R, input: RouteInput<P, Q, B>) => unknown = (result) => result,
) => {
  // The settings every route reads: a bad value stops the function as it starts (shared/config.ts);
  // auth() reads the auth mode's as it is built.
  config.publicUrl();
  const def = routeById(id);
  return middy<KarborEvent, KarborResult, Error, Context>()
    .use(requestLog(def.id))
    .use(requestId())
    .use(auth({ public: def.public ?? false, ...(def.role === 'admin' ? { adminPolicy: def.policy } : {}) }))
    .use(jsonBody())
    .use(faults())
    .handler(async (event) => {
      const identity = event.identity ?? ANONYMOUS;
      const urlProject = event.pathParameters?.project_id;
      // Karbor refuses a URL naming another project than the token's, admins included; an id
      // longer than any project id would only fail later, at DynamoDB's key size limit.
      if (urlProject !== undefined && (urlProject !== identity.projectId || urlProject.length > MAX_PROJECT_ID_LENGTH)) {
        throw new InvalidInputError('Malformed request url');
      }
      let body = undefined as B;
      if (schemas.body) {
        if (event.parsedBody === undefined) throw new InvalidInputError('Malformed request body');
        body = parseWith(schemas.body, event.parsedBody);
      }
      const params = schemas.params ? parseWith(schemas.params, event.pathParameters ?? {}) : ({} as P);
      const query = schemas.query ? parseWith(schemas.query, event.queryStringParameters ?? {}) : ({} as Q);
      const input: RouteInput<P, Q, B> = { params, query, body, identity, event, route: def };
      return jsonResponse(schemas.status ?? 200, present(await action(input), input));
    });
};

import path from 'node:path';
import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { faultName } from '../../shared/http/faults';
import { IDEMPOTENCY_SECONDS, REPLAYED_HEADER } from '../../shared/http/middleware/idempotency';
import { type RouteSpec, routeSpecOf } from '../../shared/http/route';
import { type RouteDef, routes } from '../../shared/http/routes';
import { OPERATION_TEXT, REQUEST_EXAMPLES } from './summaries';

/**
 * The OpenAPI 3.1 document of the route table, built from the zod schemas
 * each handler passes to route() (its `routeSpec`): what is documented is
 * what the handler parses and answers. Handlers never import this file, so
 * no Lambda bundle carries zod-openapi.
 */

export interface DocumentedRoute {
  def: RouteDef;
  spec: RouteSpec;
}

/** Loads every route's handler module from `moduleRoot` (the repo, or the esbuild output) and reads its spec. */
export const loadRoutes = (moduleRoot: string, table: readonly RouteDef[] = routes): DocumentedRoute[] =>
  table.map((def) => {
    const spec = routeSpecOf((require(path.join(moduleRoot, def.module)) as { handler?: unknown }).handler);
    if (!spec || spec.id !== def.id) throw new Error(`${def.module} does not export the route() handler of ${def.id}`);
    return { def, spec };
  });

const FAULT_TEXT: Record<number, string> = {
  400: "Invalid input: body, path or query (Karbor's jsonschema wording), or a URL project that is not the token's.",
  401: 'No token, or a token that is not valid.',
  403: "The policy refuses the caller: an admin-only route, or another project's object.",
  404: 'An id (or list marker) that names nothing the caller may see.',
  409: 'A conflicting request: an Idempotency-Key reused with another body or still in progress, a concurrent change, or a checkpoint lock or legal hold.',
  413: 'A body over 1 MB, or a quota exceeded.',
  424: 'The object is still in use (a trigger with scheduled operations).',
  500: 'An unexpected error.',
  503: "A service the request needs (Keystone, the token issuer's keys) did not answer.",
};

/** Statuses a use case answers beyond the ones every route of its kind can (shared/kernel/errors.ts classes it throws). */
const DOMAIN_FAULTS: Record<string, readonly number[]> = {
  'plans.create': [413],
  'plans.update': [409],
  'plans.delete': [409],
  'triggers.show': [403],
  'triggers.update': [403, 409],
  'triggers.delete': [403, 424],
  'scheduledOperations.create': [404],
  'scheduledOperations.show': [403],
  'scheduledOperations.delete': [403],
  'checkpoints.create': [413],
  'checkpoints.show': [403],
  'checkpoints.delete': [403, 409],
  'checkpoints.resetState': [409],
  'checkpoints.lock': [403, 409],
  'restores.create': [403],
  'verifications.create': [403],
  'quotas.show': [403],
  'quotas.detail': [403],
  'reports.create': [403],
};

/** The `{"<faultName>": {"code", "message"}}` body of a status (shared/http/faults.ts). */
const faultSchema = (status: number) => {
  const inner = z.object({ code: z.literal(status), message: z.string() });
  const fault = z.object({ [faultName(status)]: status === 413 ? inner.extend({ retryAfter: z.literal('0') }) : inner });
  // In cognito and jwt modes API Gateway's JWT authorizer answers 401 itself, with its own body (docs/decisions.md).
  return status === 401 ? z.union([fault, z.object({ message: z.literal('Unauthorized') })]) : fault;
};

/** 424 and 500 share Karbor's `computeFault`: components are named by both. */
const faultComponent = (status: number): string => `${faultName(status)}${status}`;

const pathParams = (p: string): string[] => [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

const isObject = (schema: z.ZodType | undefined): schema is z.ZodObject => schema instanceof z.ZodObject;

/** Every status a route can answer with a fault. */
export const faultStatuses = ({ def, spec }: DocumentedRoute): number[] => {
  const statuses = new Set<number>([500]);
  if (!def.public) for (const s of [400, 401, 503]) statuses.add(s);
  if (def.role === 'admin') statuses.add(403);
  if (pathParams(def.path).some((p) => p !== 'project_id')) statuses.add(404);
  if (isObject(spec.query) && 'marker' in spec.query.shape) statuses.add(404);
  if (spec.body) statuses.add(413);
  if (def.idempotent) statuses.add(409);
  for (const s of DOMAIN_FAULTS[def.id] ?? []) statuses.add(s);
  return [...statuses].sort((a, b) => a - b);
};

const operation = (route: DocumentedRoute): ZodOpenApiOperationObject => {
  const { def, spec } = route;
  const placeholders = z.object(Object.fromEntries(pathParams(def.path).map((p) => [p, z.string()])));
  const responses: ZodOpenApiResponsesObject = {
    [String(spec.status)]: {
      description: spec.response ? 'Success.' : 'Success, with an empty body.',
      ...(spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}),
      ...(def.idempotent
        ? {
            headers: z.object({
              [REPLAYED_HEADER]: z
                .literal('true')
                .optional()
                .meta({ description: 'This is the stored answer to an earlier request with the same Idempotency-Key.' }),
            }),
          }
        : {}),
    },
  };
  for (const status of faultStatuses(route)) responses[String(status) as '400'] = { $ref: `#/components/responses/${faultComponent(status)}` };
  return {
    operationId: def.id,
    summary: OPERATION_TEXT[def.id]?.summary ?? def.id,
    description: `${OPERATION_TEXT[def.id]?.description ?? ''}\n\nPolicy \`${def.policy}\`${def.role === 'admin' ? ' (admins only)' : ''}.`.trim(),
    tags: [def.id.split('.')[0]],
    ...(def.public ? { security: [] } : {}),
    requestParams: {
      path: isObject(spec.params) ? placeholders.extend(spec.params.shape) : placeholders,
      ...(isObject(spec.query) ? { query: spec.query } : {}),
      ...(def.idempotent
        ? {
            header: z.object({
              'Idempotency-Key': z
                .string()
                .optional()
                .meta({
                  description: `1 to 255 printable ASCII characters. The same key and body within ${IDEMPOTENCY_SECONDS / 3600} hours replays the first answer; another body is a 409.`,
                }),
            }),
          }
        : {}),
    },
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: spec.body, example: REQUEST_EXAMPLES[def.id] } } } } : {}),
    responses,
  };
};

const ALL_FAULTS = [400, 401, 403, 404, 409, 413, 424, 500, 503];

/**
 * Moves every schema that carries a `title` (the views' `.meta({ title })`)
 * into `components.schemas` and points its uses there. By title, not by zod
 * identity: the local server and `npm run openapi` load each handler from its
 * own bundle, so the same view schema is a different object in every route.
 */
const shareTitledSchemas = <T extends { paths?: unknown; components?: object }>(doc: T): T => {
  const shared: Record<string, unknown> = {};
  const hoist = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(hoist);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, hoist(v)]));
    const title = (node as { title?: unknown }).title;
    if (typeof title !== 'string' || !('type' in node)) return entries;
    const known = shared[title];
    if (known && JSON.stringify(known) !== JSON.stringify(entries)) throw new Error(`two different schemas are titled ${title}`);
    shared[title] = entries;
    return { $ref: `#/components/schemas/${title}` };
  };
  const paths = hoist(doc.paths);
  return { ...doc, paths, components: { ...doc.components, schemas: Object.fromEntries(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b))) } };
};

// biome-ignore lint/suspicious/noExplicitAny: a walk over the generated JSON document
type Json = Record<string, any>;

const EXAMPLE_ID = '3f6c1e2a-9b7d-4c5e-8a1f-2d4b6c8e0a13';

/** A value of `schema` for /docs/: field names pick ids and times, enums their first value, nullable fields their value. */
const exampleOf = (doc: Json, schema: Json | undefined, name = '', depth = 0): unknown => {
  if (!schema || depth > 12) return null;
  if (schema.$ref)
    return exampleOf(
      doc,
      schema.$ref
        .slice(2)
        .split('/')
        .reduce((n: Json, k: string) => n?.[k], doc),
      name,
      depth + 1,
    );
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options: Json[] | undefined = schema.anyOf ?? schema.oneOf;
  if (options) return exampleOf(doc, options.find((o) => o.type !== 'null') ?? options[0], name, depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type.find((t: string) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object':
      if (schema.properties) return Object.fromEntries(Object.entries(schema.properties as Json).map(([k, v]) => [k, exampleOf(doc, v as Json, k, depth + 1)]));
      return {};
    case 'array':
      return [exampleOf(doc, schema.items, name, depth + 1)];
    case 'string':
      if (name === 'id' || name.endsWith('_id')) return EXAMPLE_ID;
      if (name.endsWith('_at') || name === 'time') return '2026-12-07T10:00:00.000000';
      return name || 'string';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      return null;
  }
};

/** Adds an example, generated from its schema, to every request and answer body that has none. */
const withExamples = <T extends object>(doc: T): T => {
  const root = doc as Json;
  for (const item of Object.values(root.paths as Json))
    for (const op of Object.values(item as Json) as Json[]) {
      const media = [op.requestBody?.content?.['application/json'], ...Object.values(op.responses as Json).map((r: Json) => r.content?.['application/json'])];
      for (const m of media) if (m?.schema && m.example === undefined) m.example = exampleOf(root, m.schema);
    }
  return doc;
};

/** The document; `serverUrl` (the local server's own) when it is served. */
export const openApiDocument = (documented: readonly DocumentedRoute[], serverUrl?: string) => {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const route of documented) {
    paths[route.def.path] ??= {};
    paths[route.def.path][route.def.method.toLowerCase()] = operation(route);
  }
  return withExamples(
    shareTitledSchemas(
      createDocument({
        openapi: '3.1.0',
        info: {
          title: 'Karbor Serverless API',
          version: '1.0',
          description:
            'The OpenStack Karbor v1 data-protection API (docs/contract.md), with the deliberate differences of docs/decisions.md. Fields marked `x-karbor-extension` are not in Karbor.',
        },
        ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
        security: [{ XAuthToken: [] }],
        paths,
        components: {
          securitySchemes: {
            XAuthToken: {
              type: 'apiKey',
              in: 'header',
              name: 'X-Auth-Token',
              description: 'A Keystone token, a JWT (cognito/jwt modes), or `<user>:<project>` in noauth mode.',
            },
          },
          responses: Object.fromEntries(
            ALL_FAULTS.map((status) => [
              faultComponent(status),
              { description: FAULT_TEXT[status], content: { 'application/json': { schema: faultSchema(status) } } },
            ]),
          ),
        },
      }),
    ),
  );
};

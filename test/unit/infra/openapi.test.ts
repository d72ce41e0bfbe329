import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import Ajv2020 from 'ajv/dist/2020';
import { faultStatuses, loadRoutes, openApiDocument } from '../../../infra/openapi/document';
import { OPERATION_TEXT, REQUEST_EXAMPLES } from '../../../infra/openapi/summaries';
import { jsonPointer, responseProblems } from '../../support/openapi-check';
import { routes } from '../../../shared/http/routes';

const ROOT = path.resolve(__dirname, '..', '..', '..');

type Json = Record<string, any>;

const documented = loadRoutes(ROOT);
const doc = openApiDocument(documented) as Json;
const operationOf = (method: string, p: string): Json => doc.paths[p]?.[method.toLowerCase()];

/** Follows a local `$ref` (`#/a/b`). */
const resolve = (ref: string): unknown =>
  ref
    .slice(2)
    .split('/')
    .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);

/** A schema, or what its `$ref` points to. */
const deref = (schema: Json): Json => (schema.$ref ? (resolve(schema.$ref) as Json) : schema);

const refsIn = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
};

describe('the OpenAPI document', () => {
  it('documents every route of the route table, by method and path', () => {
    for (const r of routes) expect([r.id, operationOf(r.method, r.path)?.operationId]).toEqual([r.id, r.id]);
    const operations = Object.values(doc.paths as Json).flatMap((item) => Object.keys(item));
    expect(operations).toHaveLength(routes.length);
  });

  it.each(documented.filter((r) => r.spec.body).map((r) => [r.def.id, r] as const))(
    '%s documents exactly the body schema its handler enforces',
    (_id, { def, spec }) => {
      const { $schema: _, ...enforced } = z.toJSONSchema(spec.body!, { io: 'input', unrepresentable: 'any' }) as Json;
      expect(operationOf(def.method, def.path).requestBody.content['application/json'].schema).toEqual(enforced);
    },
  );

  it('documents the restore body although its handler validates a masked copy', () => {
    const body = operationOf('POST', '/v1/{project_id}/restores').requestBody.content['application/json'].schema;
    expect(body.properties.restore.required).toEqual(['provider_id', 'checkpoint_id', 'parameters']);
  });

  it('is structurally OpenAPI 3.1: info, paths with operations, responses, and $refs that resolve', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const [p, item] of Object.entries(doc.paths as Json)) {
      expect(p.startsWith('/')).toBe(true);
      for (const [method, op] of Object.entries(item as Json)) {
        expect(['get', 'put', 'post', 'delete']).toContain(method);
        const statuses = Object.keys(op.responses);
        expect(statuses.some((s) => /^[23]\d\d$/.test(s))).toBe(true);
        // Every {placeholder} is a required path parameter.
        const inPath = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
        const declared = (op.parameters ?? []).filter((x: Json) => x.in === 'path');
        expect(declared.map((x: Json) => x.name).sort()).toEqual(inPath);
        expect(declared.every((x: Json) => x.required === true)).toBe(true);
      }
    }
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect([ref, resolve(ref) !== undefined]).toEqual([ref, true]);
  });

  it('answers the fault shape on every error status a route can answer', () => {
    for (const route of documented) {
      const op = operationOf(route.def.method, route.def.path);
      for (const status of faultStatuses(route)) {
        const response = resolve(op.responses[String(status)].$ref) as Json;
        const documented = response.content['application/json'].schema;
        // 401: Karbor's fault, or API Gateway's own body in the JWT modes.
        const schema = status === 401 ? documented.anyOf[0] : documented;
        if (status === 401) expect(documented.anyOf[1].properties.message).toEqual({ type: 'string', const: 'Unauthorized' });
        const [name] = Object.keys(schema.properties);
        expect(schema.properties[name].properties.code).toMatchObject({ const: status });
        expect(schema.properties[name].required).toEqual(expect.arrayContaining(['code', 'message']));
      }
    }
    expect(Object.keys(operationOf('PUT', '/v1/{project_id}/os-services/{service_id}').responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '413', '500']),
    );
    expect(Object.keys(operationOf('DELETE', '/v1/{project_id}/triggers/{trigger_id}').responses)).toContain('424');
  });

  it('asks for X-Auth-Token everywhere but on the version documents', () => {
    expect(doc.components.securitySchemes.XAuthToken).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' });
    expect(doc.security).toEqual([{ XAuthToken: [] }]);
    for (const r of routes) expect([r.id, operationOf(r.method, r.path).security]).toEqual([r.id, r.public ? [] : undefined]);
  });

  it('documents Idempotency-Key exactly on the idempotent routes', () => {
    for (const r of routes) {
      const headers = (operationOf(r.method, r.path).parameters ?? []).filter((x: Json) => x.in === 'header').map((x: Json) => x.name);
      expect([r.id, headers]).toEqual([r.id, r.idempotent ? ['Idempotency-Key'] : []]);
    }
  });

  it('documents the response bodies, extensions marked', () => {
    const trigger = operationOf('GET', '/v1/{project_id}/triggers/{trigger_id}').responses['200'].content['application/json'].schema;
    expect(deref(trigger.properties.trigger_info).properties.next_runs).toMatchObject({ type: 'array', 'x-karbor-extension': true });
    const ops = operationOf('GET', '/v1/{project_id}/scheduled_operations').responses['200'].content['application/json'].schema;
    expect(Object.keys(ops.properties)).toEqual(['operations', 'operations_links']);
    expect(deref(ops.properties.operations.items).properties.next_run['x-karbor-extension']).toBe(true);
    // Deletes answer an empty body.
    expect(operationOf('DELETE', '/v1/{project_id}/plans/{plan_id}').responses['200'].content).toBeUndefined();
  });

  it('shares each view as one component that its routes point to, never an inline copy', () => {
    const schemas = doc.components.schemas as Json;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['Checkpoint', 'Plan', 'Restore', 'ScheduledOperation', 'Trigger', 'Verification']));
    const inline = JSON.stringify(doc.paths).match(/"title":"[^"]+"/g) ?? [];
    expect(inline).toEqual([]);
    const show = operationOf('GET', '/v1/{project_id}/plans/{plan_id}').responses['200'].content['application/json'].schema;
    expect(show.properties.plan).toEqual({ $ref: '#/components/schemas/Plan' });
    expect(schemas.Plan).toMatchObject({ title: 'Plan', type: 'object', additionalProperties: false });
  });

  /** The success answers' schemas (2xx, and the root's 300): [operationId, status, schema]. */
  const successBodies = (): [string, string, Json][] =>
    Object.values(doc.paths as Json).flatMap((item) =>
      Object.values(item as Json).flatMap((op: Json) =>
        Object.entries(op.responses as Json)
          .filter(([status, r]) => /^[23]/.test(status) && r.content)
          .map(([status, r]): [string, string, Json] => [op.operationId, status, r.content['application/json'].schema]),
      ),
    );
  const isObjectSchema = (s: Json): boolean => s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object')) || 'properties' in s;

  it('builds every 2xx answer from shared components: below its envelope, every object is a $ref', () => {
    const inline: string[] = [];
    const walk = (s: Json, at: string, envelope: boolean): void => {
      if (s.$ref) return;
      if (!envelope && isObjectSchema(s)) inline.push(at);
      for (const [k, v] of Object.entries((s.properties ?? {}) as Json)) walk(v, `${at}.${k}`, false);
      if (s.items) walk(s.items, `${at}[]`, false);
      for (const [i, v] of [...(s.anyOf ?? []), ...(s.oneOf ?? [])].entries()) walk(v, `${at}|${i}`, false);
    };
    const bodies = successBodies();
    for (const [id, status, schema] of bodies) walk(schema, `${id} ${status}`, true);
    expect(inline).toEqual([]);
    // Every documented answer has a body schema but the deletes Karbor answers empty.
    const empty = routes.filter((r) => operationOf(r.method, r.path).responses[r.id === 'versions.list' ? '300' : '200'].content === undefined);
    expect(empty.map((r) => r.id).sort()).toEqual(['plans.delete', 'quotas.delete', 'scheduledOperations.delete', 'triggers.delete']);
    expect(bodies).toHaveLength(routes.length - empty.length);
  });

  it('closes every object a 2xx answer holds, components included, so an unexpected field is drift', () => {
    const open: string[] = [];
    const seen = new Set<string>();
    const walk = (s: Json, at: string): void => {
      if (s.$ref) {
        if (seen.has(s.$ref)) return;
        seen.add(s.$ref);
        walk(deref(s), s.$ref);
        return;
      }
      // A map (z.record, e.g. extra_info) states what its values are; a view states its fields and no more.
      if (isObjectSchema(s) && s.additionalProperties === undefined) open.push(at);
      for (const [k, v] of Object.entries((s.properties ?? {}) as Json)) walk(v, `${at}.${k}`);
      if (s.items) walk(s.items, `${at}[]`);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${at}{}`);
      for (const [i, v] of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].entries()) walk(v, `${at}|${i}`);
    };
    for (const [id, status, schema] of successBodies()) walk(schema, `${id} ${status}`);
    expect(open).toEqual([]);
  });

  it('holds a live answer to the document: an extra or retyped field anywhere is a problem (test/support/openapi-check.ts)', () => {
    // Prepare: the document's own example of a plan list, with a next link.
    const url = '/v1/p1/plans';
    const example = operationOf('GET', '/v1/{project_id}/plans').responses['200'].content['application/json'].example;
    const page = { ...example, plans_links: [{ rel: 'next', href: 'http://h/v1/p1/plans?marker=x' }] };
    const drifted = (change: (b: Json) => void) => {
      const b = structuredClone(page);
      change(b);
      return responseProblems('GET', url, 200, JSON.stringify(b));
    };
    // Act, Assess
    expect(responseProblems('GET', url, 200, JSON.stringify(page))).toEqual([]);
    expect(drifted((b) => (b.extra = 1))).toEqual([expect.stringContaining('must NOT have additional properties')]);
    expect(drifted((b) => (b.plans[0].surprise = true))).toEqual([expect.stringContaining('/plans/0 must NOT have additional properties')]);
    expect(drifted((b) => (b.plans_links[0].title = 'next page'))).toEqual([expect.stringContaining('/plans_links/0 must NOT have additional properties')]);
    expect(drifted((b) => (b.plans[0].name = 5))).toEqual([expect.stringContaining('/plans/0/name must be string')]);
    expect(responseProblems('GET', url, 201, JSON.stringify(page))).toEqual([expect.stringContaining('status 201 is not documented')]);
  });

  it("generates the console's API types from the committed document (npm run openapi)", () => {
    const cli = path.join(ROOT, 'node_modules', '.bin', 'openapi-typescript');
    const generated = execFileSync(cli, [path.join(ROOT, 'docs', 'openapi.json')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(readFileSync(path.join(ROOT, 'console', 'src', 'api-types.ts'), 'utf8')).toBe(generated);
  });

  it('gives every operation a human summary, a description and examples for /docs/', () => {
    for (const r of routes) {
      const op = operationOf(r.method, r.path);
      expect([r.id, op.summary]).toEqual([r.id, OPERATION_TEXT[r.id].summary]);
      expect(op.summary).not.toBe(r.id);
      expect(op.description.startsWith(OPERATION_TEXT[r.id].description)).toBe(true);
      for (const [status, response] of Object.entries(op.responses as Json))
        if (/^[23]/.test(status) && response.content) expect([r.id, response.content['application/json'].example]).toEqual([r.id, expect.anything()]);
    }
    expect(Object.keys(OPERATION_TEXT).sort()).toEqual(routes.map((r) => r.id).sort());
  });

  it.each(documented.filter((r) => r.spec.body).map((r) => [r.def.id, r] as const))(
    "%s: the request example passes the handler's body schema",
    (id, { spec }) => {
      expect(spec.body!.safeParse(REQUEST_EXAMPLES[id]).success).toBe(true);
    },
  );

  it('answers examples that match their own schemas', () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(doc, 'doc');
    for (const [p, item] of Object.entries(doc.paths as Json))
      for (const [method, op] of Object.entries(item as Json))
        for (const [status, response] of Object.entries((op as Json).responses as Json)) {
          const media = response.content?.['application/json'];
          if (!media) continue;
          const pointer = jsonPointer('paths', p, method, 'responses', status, 'content', 'application/json', 'schema');
          const validate = ajv.compile({ $ref: `doc#/${pointer}` });
          expect([(op as Json).operationId, status, validate(media.example) ? 'valid' : validate.errors]).toEqual([(op as Json).operationId, status, 'valid']);
        }
  });

  it('is committed up to date in docs/openapi.json (npm run openapi)', () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});

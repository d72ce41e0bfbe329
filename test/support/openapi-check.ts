import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

/**
 * Checks a live answer of the local server against docs/openapi.json: the
 * status must be one the operation documents, and the body must match that
 * status's schema exactly (the views are `additionalProperties: false`), so a
 * field whose shape drifts from the document — the console's `last_run`
 * crash — fails the test that saw it.
 */
type Json = Record<string, any>;

const DOC: Json = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(DOC, 'openapi');

/** A JSON pointer (RFC 6901) of `keys`, without its leading `/`. */
export const jsonPointer = (...keys: string[]) => keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Templates as regexes, most literal first, so `/plans/{plan_id}` never takes `/plans`. */
const OPERATIONS = Object.entries(DOC.paths as Json)
  .flatMap(([template, item]) =>
    Object.entries(item as Json).map(([method, op]) => ({
      template,
      method: method.toUpperCase(),
      op: op as Json,
      re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      literal: template.replace(/\{[^}]+\}/g, '').length,
    })),
  )
  .sort((a, b) => b.literal - a.literal);

const validators = new Map<string, ValidateFunction>();
const validatorOf = (ref: string): ValidateFunction => {
  let v = validators.get(ref);
  if (!v) {
    v = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
    validators.set(ref, v);
  }
  return v;
};

/** The documented operation of a request, or undefined when the document has none (unrouted paths, OPTIONS, /docs). */
export const operationOf = (method: string, url: string) => {
  const p = url.split('?')[0];
  return OPERATIONS.find((o) => o.method === method.toUpperCase() && o.re.test(p));
};

/** What is wrong with this answer, or [] when the document describes it. */
export const responseProblems = (method: string, url: string, status: number, text: string): string[] => {
  const found = operationOf(method, url);
  if (!found) return [];
  const { template, op } = found;
  let response = op.responses[String(status)];
  let at = jsonPointer('paths', template, method.toLowerCase(), 'responses', String(status));
  if (!response) return [`${op.operationId}: status ${status} is not documented (${Object.keys(op.responses).join(', ')})`];
  if (response.$ref) {
    at = response.$ref.slice(2);
    response = at.split('/').reduce((n: Json, k: string) => n[k.replace(/~1/g, '/').replace(/~0/g, '~')], DOC);
  }
  const content = response.content?.['application/json'];
  if (!content) return text.length === 0 ? [] : [`${op.operationId} ${status}: documented without a body, answered ${text.slice(0, 200)}`];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`${op.operationId} ${status}: not JSON: ${text.slice(0, 200)}`];
  }
  const validate = validatorOf(`openapi#/${at}/content/application~1json/schema`);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${op.operationId} ${status}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
};

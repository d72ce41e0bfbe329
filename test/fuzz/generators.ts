import fc from 'fast-check';
import { type RouteDef, type RouteId, routes } from '../../shared/http/routes';
import { AWS, DAILY, KINDS, NOOP, UNKNOWN } from './world';

/**
 * Request generators for every route of the route table. A generated request
 * is plain data with placeholders (`@@plan:A@@`, `@@project:B@@`) that the
 * runner resolves against the live server's objects just before sending, so a
 * seed replays the same requests on a fresh server.
 */

export type Slot = 'A' | 'B';

export interface FuzzRequest {
  /** The route this request was made from; `fallback` for paths in no route. */
  route: RouteId;
  method: string;
  /** The URL project slot (the token's unless `token` says otherwise). */
  project: Slot;
  /** Path after the host, placeholders unresolved, already percent-encoded. */
  path: string;
  /** `?...` or '' */
  query: string;
  token: { user: 'admin' | 'member'; project: Slot } | { raw: string } | null;
  /** JSON text (or not), placeholders unresolved; undefined: no body. */
  body?: string;
  contentType?: string;
}

const SLOTS: Slot[] = ['A', 'B'];
const other = (s: Slot): Slot => (s === 'A' ? 'B' : 'A');

/** A placeholder for an object of `kind` in `slot`: the world's, or the newest one the run created. */
const ref = (kind: string, slot: Slot, newest = false): string => `@@${newest ? 'new-' : ''}${kind}:${slot}@@`;

// ---------------------------------------------------------------- values

const HUGE = 'x'.repeat(70_000);
const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '   \t',
  '\u0000',
  'a\u0000b',
  '\n',
  '😀',
  '\ud800',
  '\u202eevil',
  'Ω≈ç√∫',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '{}',
  'null',
  '__proto__',
  'constructor',
  'a'.repeat(40),
  'n'.repeat(255),
  'n'.repeat(256),
  'x'.repeat(4096),
  UNKNOWN,
  UNKNOWN.toUpperCase(),
  UNKNOWN.replace(/-/g, ''),
  NOOP,
);

/** Number tokens written into the JSON text as they are (JSON.stringify could not). */
const RAW_NUMBERS = [
  '9007199254740993',
  '-9007199254740993',
  '12345678901234567890',
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '12345678901234567890.5',
  '0.1e1',
  '2147483648',
] as const;

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileStrings },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53 - 1, -(2 ** 31), 1e308) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((n) => `@@num:${n}@@`) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constantFrom(SLOTS[0], SLOTS[1]).map((s) => ref('plan', s)) },
  { weight: 1, arbitrary: fc.constantFrom(...KINDS).chain((k) => fc.constantFrom(...SLOTS).map((s) => ref(k, s))) },
  { weight: 1, arbitrary: fc.constant(HUGE) },
);

// ---------------------------------------------------------------- valid bodies

const name = fc.oneof(
  fc.constantFrom('fuzz', 'plan 1', 'ü-name', 'a b c'),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0),
);
const description = fc.option(fc.constantFrom('first', 'printable only', ''), { nil: undefined });
const resource = fc.record(
  {
    id: fc.constantFrom('11111111-2222-3333-4444-555555555555', 'res-1', '@@project:A@@'),
    type: fc.constantFrom('OS::Nova::Server', 'OS::Cinder::Volume', 'OS::Keystone::Project', 'OS::Glance::Image'),
    name: fc.constantFrom('vm1', 'vol1'),
    extra_info: fc.option(fc.constant({ availability_zone: 'az1' }), { nil: undefined }),
  },
  { requiredKeys: ['id', 'type', 'name'] },
);
const parameters = fc.constantFrom({}, { 'OS::Nova::Server': { x: 1 } }, { 'OS::Cinder::Volume': null });
const quotaValue = fc.constantFrom(-1, 50, 1000, '100');
const triggerProperties = fc.oneof(
  fc.record({ format: fc.constant('calendar'), pattern: fc.constant(DAILY) }),
  fc.record({ format: fc.constant('crontab'), pattern: fc.constantFrom('0 3 * * *', '15 4 * * 1') }),
  fc.record({ format: fc.constant('calendar'), pattern: fc.constant(DAILY), window: fc.constantFrom(900, '1200') }),
);

/** A valid body for each route that takes one; `slot` is the project whose objects it names. */
const BODIES: Record<string, (slot: Slot) => fc.Arbitrary<unknown>> = {
  'plans.create': () =>
    fc.record({
      plan: fc.record(
        {
          name,
          description,
          provider_id: fc.constantFrom(NOOP, NOOP, AWS),
          parameters,
          resources: fc.array(resource, { maxLength: 3 }),
        },
        { requiredKeys: ['name', 'provider_id', 'parameters'] },
      ),
    }),
  'plans.update': () =>
    fc.record({
      plan: fc.record(
        { name, description, status: fc.constantFrom('suspended', 'started'), resources: fc.array(resource, { maxLength: 2 }) },
        { requiredKeys: [] },
      ),
    }),
  'triggers.create': () => fc.record({ trigger_info: fc.record({ name, type: fc.constant('time'), properties: triggerProperties }) }),
  'triggers.update': () => fc.record({ trigger_info: fc.record({ name, properties: triggerProperties }, { requiredKeys: [] }) }),
  'scheduledOperations.create': (slot) =>
    fc.record({
      scheduled_operation: fc.record(
        {
          name,
          description,
          operation_type: fc.constantFrom('protect', 'retention_protect'),
          trigger_id: fc.constantFrom(ref('trigger', slot), ref('trigger', slot, true)),
          operation_definition: fc.record(
            { provider_id: fc.constant(NOOP), plan_id: fc.constantFrom(ref('plan', slot), ref('plan', slot, true)), max_backups: fc.constantFrom(3, '2') },
            { requiredKeys: ['provider_id', 'plan_id'] },
          ),
        },
        { requiredKeys: ['name', 'operation_type', 'trigger_id', 'operation_definition'] },
      ),
    }),
  'services.update': () =>
    fc.record({ status: fc.constantFrom('enabled', 'disabled'), disabled_reason: fc.constantFrom('maintenance', 'x') }, { requiredKeys: ['status'] }),
  'quotas.update': () => fc.record({ quota: fc.record({ plans: quotaValue, checkpoints: quotaValue }, { requiredKeys: [] }) }),
  'quotaClasses.update': () => fc.record({ quota_class: fc.record({ plans: quotaValue, checkpoints: quotaValue }, { requiredKeys: [] }) }),
  'checkpoints.create': (slot) =>
    fc.record({
      checkpoint: fc.record(
        { plan_id: fc.constantFrom(ref('plan', slot), ref('plan', slot, true)), extra_info: fc.constant({ k: 'v' }) },
        { requiredKeys: ['plan_id'] },
      ),
    }),
  'checkpoints.copy': (slot) =>
    fc.record({ copy: fc.record({ plan_id: fc.constantFrom(ref('plan', slot), ref('plan', slot, true)), parameters }, { requiredKeys: ['plan_id'] }) }),
  'checkpoints.resetState': () => fc.record({ 'os-resetState': fc.record({ state: fc.constantFrom('available', 'error') }) }),
  'checkpoints.lock': () =>
    fc.record(
      {
        lock: fc.option(fc.record({ mode: fc.constantFrom('governance', 'compliance'), until: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) }), {
          nil: null,
        }),
        legal_hold: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  'restores.create': (slot) =>
    fc.record({
      restore: fc.record(
        {
          provider_id: fc.constant(NOOP),
          checkpoint_id: fc.constantFrom(ref('checkpoint', slot), ref('checkpoint', slot, true)),
          parameters,
          restore_target: fc.constant('http://192.168.1.2/identity/'),
          restore_auth: fc.constant({ type: 'password', username: 'u', password: 'secret' }),
        },
        { requiredKeys: ['provider_id', 'checkpoint_id', 'parameters'] },
      ),
    }),
  'verifications.create': (slot) =>
    fc.record({
      verification: fc.record(
        { provider_id: fc.constant(NOOP), checkpoint_id: fc.constantFrom(ref('checkpoint', slot), ref('checkpoint', slot, true)), parameters },
        { requiredKeys: ['provider_id', 'checkpoint_id'] },
      ),
    }),
  'reports.create': () =>
    fc.record({
      report: fc.record(
        {
          since: fc.constantFrom('2026-01-01T00:00:00Z', new Date(Date.UTC(2026, 11, 1)).toISOString(), 'yesterday'),
          until: fc.constantFrom('2026-01-02T00:00:00Z', '2026-12-31T00:00:00Z'),
          all_projects: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
    }),
  // Admin only (a member's is a 403); an unknown bank is a 400, `primary` imports what the stack's own bank holds.
  'catalog.import': () =>
    fc.record({ import: fc.record({ bank: fc.constantFrom('primary', 'dr', 'nowhere'), all_tenants: fc.boolean() }, { requiredKeys: ['bank'] }) }),
};

/** Routes that take a body: every POST and PUT of the table; a new one fails here until it has a generator. */
for (const r of routes) {
  if ((r.method === 'POST' || r.method === 'PUT') && !BODIES[r.id]) throw new Error(`fuzz: route ${r.id} takes a body but has no body generator`);
}

// ---------------------------------------------------------------- body mutations

type JsonPath = (string | number)[];

const pathsOf = (value: unknown, at: JsonPath = []): JsonPath[] => {
  const here = [at];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => pathsOf(v, [...at, i])));
  if (value !== null && typeof value === 'object') return here.concat(...Object.entries(value).map(([k, v]) => pathsOf(v, [...at, k])));
  return here;
};

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** Replaces (or, with `remove`, deletes) the value at `path`; the root is replaced as a whole. */
const setAt = (root: unknown, path: JsonPath, value: unknown, remove = false): unknown => {
  if (path.length === 0) return value;
  const out = clone(root) as Record<string | number, unknown>;
  let node = out;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return out;
};

const getAt = (root: unknown, path: JsonPath): unknown => path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);

const nest = (value: unknown, depth: number, asArray: boolean): unknown => {
  let out = value;
  for (let i = 0; i < depth; i += 1) out = asArray ? [out] : { a: out };
  return out;
};

type Mutation =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'remove'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'nest'; at: number; depth: number; asArray: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom('foo', '__proto__', 'constructor', 'id', 'project_id', 'status', '', 'extra-info'), fc.string({ maxLength: 10 })),
      value: hostileValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 40 }), asArray: fc.boolean() }) },
);

const applyMutation = (body: unknown, m: Mutation): unknown => {
  const paths = pathsOf(body);
  const path = paths[m.at % paths.length];
  switch (m.op) {
    case 'set':
      return setAt(body, path, m.value);
    case 'remove':
      return path.length === 0 ? undefined : setAt(body, path, undefined, true);
    case 'add': {
      const target = getAt(body, path);
      if (target === null || typeof target !== 'object' || Array.isArray(target)) return setAt(body, path, { [m.key]: m.value });
      // An own `__proto__` key, as a client sends it (assignment would set the prototype instead).
      const widened = { ...target };
      Object.defineProperty(widened, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      return setAt(body, path, widened);
    }
    case 'nest':
      return setAt(body, path, nest(getAt(body, path), m.depth, m.asArray));
  }
};

/** Serialises a body, writing the raw number placeholders as number tokens. */
const toText = (body: unknown): string => JSON.stringify(body).replace(/"@@num:([^@]+)@@"/g, '$1');

/** Whole-text damage a JSON parser must survive. */
type TextMutation = { op: 'truncate'; at: number } | { op: 'append'; junk: string } | { op: 'replace'; text: string };

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('append' as const), junk: fc.constantFrom('}', ']', ',', 'x', '\u0000', ' null', '{"a":1}') }),
  fc.record({
    op: fc.constant('replace' as const),
    text: fc.oneof(
      fc.constantFrom('', ' ', 'null', '[]', '"x"', '1', 'true', '{', '{"a":}', "{'a': 1}", 'NaN', '\u0000', '\ufeff{}', `${'['.repeat(40)}${']'.repeat(40)}`),
      fc.string({ maxLength: 30 }),
      fc.json({ maxDepth: 2 }),
    ),
  }),
);

const applyTextMutation = (text: string, m: TextMutation): string => {
  switch (m.op) {
    case 'truncate':
      return text.slice(0, m.at % Math.max(text.length, 1));
    case 'append':
      return text + m.junk;
    case 'replace':
      return m.text;
  }
};

/** A route's body: valid, or mutated structurally, or damaged as text. */
const bodyFor = (def: RouteDef, slot: Slot): fc.Arbitrary<string | undefined> => {
  const valid = BODIES[def.id];
  if (!valid) {
    // A body where none belongs must be ignored or refused, never crash.
    return fc.option(fc.constantFrom('{}', '{"a": 1}', 'garbage'), { nil: undefined, freq: 8 });
  }
  const crossSlot = fc.constantFrom(slot, slot, slot, other(slot));
  return fc.oneof(
    { weight: 3, arbitrary: crossSlot.chain((s) => valid(s)).map(toText) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          crossSlot.chain((s) => valid(s)),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
        )
        .map(([body, ms]) => ms.reduce(applyMutation, body))
        .map((body) => (body === undefined ? '' : toText(body))),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid(slot).map(toText), textMutation).map(([text, m]) => applyTextMutation(text, m)),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
};

// ---------------------------------------------------------------- paths

const hostileSegment = fc.oneof(
  fc.constantFrom(' ', 'x'.repeat(300), 'x'.repeat(3000), '\u0000', '😀', 'ü', '..', '.', '/', 'a/b', '-1', '0', '1e3', '9999999999999999999'),
  fc.constantFrom('null', '__proto__', 'constructor', 'hasOwnProperty', "'", '*', '%', '?x=1', '#frag', '\ud800'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
);

/** Segments that are not percent-encoded by the runner (undecodable escapes). */
const RAW_SEGMENTS = ['%E0%A4%A', '%ZZ', '%', '%00', '%2F', '%2e%2e'];

const idSegment = (kind: string, slot: Slot): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(ref(kind, slot)) },
    { weight: 2, arbitrary: fc.constant(ref(kind, slot, true)) },
    { weight: 3, arbitrary: fc.constant(ref(kind, other(slot))) },
    { weight: 1, arbitrary: fc.constant(UNKNOWN) },
    { weight: 1, arbitrary: fc.constantFrom(...KINDS).map((k) => ref(k, slot)) },
    { weight: 2, arbitrary: hostileSegment },
  );

const PARAMS: Record<string, (slot: Slot) => fc.Arbitrary<string>> = {
  plan_id: (s) => idSegment('plan', s),
  trigger_id: (s) => idSegment('trigger', s),
  scheduled_operation_id: (s) => idSegment('scheduledOperation', s),
  operation_log_id: (s) => idSegment('operationLog', s),
  checkpoint_id: (s) => idSegment('checkpoint', s),
  restore_id: (s) => idSegment('restore', s),
  verification_id: (s) => idSegment('verification', s),
  provider_id: () =>
    fc.oneof({ weight: 6, arbitrary: fc.constant(NOOP) }, { weight: 1, arbitrary: fc.constantFrom(AWS, UNKNOWN) }, { weight: 1, arbitrary: hostileSegment }),
  protectable_type: () =>
    fc.oneof(
      fc.constantFrom('OS::Keystone::Project', 'OS::Nova::Server', 'OS::Cinder::Volume', 'AWS::DynamoDB::Table', 'AWS::EC2::Instance', 'OS::Foo::Bar'),
      hostileSegment,
    ),
  protectable_id: (s) => fc.oneof(fc.constantFrom(`@@project:${s}@@`, UNKNOWN, '@@table@@'), hostileSegment),
  service_id: () => fc.oneof(fc.constantFrom('1', '2', '3', '99999', '-1', '1.5', '01', '2147483648'), hostileSegment),
  target_project_id: (s) =>
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(`@@project:${s}@@`, `@@project:${other(s)}@@`) }, { weight: 1, arbitrary: hostileSegment }),
  class_name: () => fc.oneof(fc.constantFrom('default', 'gold', 'fuzz'), hostileSegment),
  report_id: () => fc.oneof(fc.constantFrom(UNKNOWN, 'not-a-report'), hostileSegment),
};

for (const r of routes) {
  for (const [, param] of r.path.matchAll(/\{([a-z_]+)\}/g)) {
    if (param !== 'project_id' && !PARAMS[param]) throw new Error(`fuzz: route ${r.id} has path parameter {${param}} with no generator`);
  }
}

/** A placeholder, resolved by the runner: `@@plan:A@@`, `@@new-plan:B@@`, `@@project:A@@`, `@@table@@`, `@@num:1e400@@`. */
export const PLACEHOLDER = /@@(?:(new-)?([a-zA-Z]+):([^@]+)|table)@@/g;

/**
 * Percent-encodes a path segment or query part, placeholders aside; lone
 * surrogates (which encodeURIComponent refuses) become U+FFFD, as a UTF-8 client sends them.
 */
export const encodePart = (s: string): string =>
  s
    .split(/(@@[^@]+@@)/)
    .map((part) => (part.startsWith('@@') && part.endsWith('@@') && part.length > 4 ? part : encodeURIComponent(part.replace(/\p{Cs}/gu, '\ufffd'))))
    .join('');

const segmentArb = (param: string, slot: Slot): fc.Arbitrary<string> =>
  fc.oneof({ weight: 20, arbitrary: PARAMS[param](slot).map(encodePart) }, { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) });

const projectSegment = (slot: Slot): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 30, arbitrary: fc.constant(`@@project:${slot}@@`) },
    { weight: 1, arbitrary: fc.constantFrom('p'.repeat(300), 'admin', '%00', encodePart('😀')) },
  );

const pathFor = (def: RouteDef, slot: Slot): fc.Arbitrary<string> => {
  const parts = def.path.split(/(\{[a-z_]+\})/).filter((p) => p.length > 0);
  return fc
    .tuple(...parts.map((p) => (p === '{project_id}' ? projectSegment(slot) : p.startsWith('{') ? segmentArb(p.slice(1, -1), slot) : fc.constant(p))))
    .map((segs) => segs.join(''));
};

// ---------------------------------------------------------------- query strings

const HOSTILE_REGEXES = [
  '(a+)+$',
  '(\\w*)*x',
  '[',
  '\\',
  '(?<n>x)',
  '.*',
  '^$',
  'a{1,100000}',
  '(?=x)',
  '\\p{L}',
  '*',
  '(',
  '[z-a]',
  '\u0000',
  '^plan',
  '%',
  // Exponential on a backtracking engine; linear on RE2 (shared/kernel/regex-filter.ts).
  '(a|a)*b',
  '(a|aa)+$',
  'a*a*a*a*a*a*a*$',
];

const queryValue = (key: string, slot: Slot): fc.Arbitrary<string> => {
  switch (key) {
    case 'limit':
    case 'offset':
      return fc.constantFrom('-1', '0', '1', '2', '1000', '1001', 'abc', '1e3', ' 5', '99999999999999999999999', '2147483647', '2147483648', '+3', '0x10', '');
    case 'marker':
      return fc.oneof(
        fc.constantFrom(...KINDS).chain((k) => fc.constantFrom(ref(k, slot), ref(k, other(slot)))),
        fc.constantFrom(UNKNOWN, 'not-a-uuid', '', 'x'.repeat(3000)),
      );
    case 'sort':
      return fc.constantFrom('name:asc', 'created_at:desc', 'id', 'x:y', ',', ':', 'name:asc,id:desc', '__proto__:asc', 'created_at:ASC', 'started_at');
    case 'sort_key':
      return fc.constantFrom('name', 'created_at', 'nope', '__proto__');
    case 'sort_dir':
      return fc.constantFrom('asc', 'desc', 'up');
    case 'all_tenants':
      return fc.constantFrom('1', 'true', 'yes', 'False', 'maybe', '');
    case 'start_date':
    case 'end_date':
      return fc.constantFrom('2020-01-01', 'bad', '9999-99-99', '2020-02-30', '2020-01-01T00:00:00', '');
    default:
      return fc.oneof(
        fc.constantFrom(...HOSTILE_REGEXES),
        fc.constantFrom(ref('plan', slot), ref('checkpoint', other(slot)), 'suspended', 'available', 'fail', NOOP),
        fc.string({ unit: 'binary', maxLength: 20 }),
      );
  }
};

const QUERY_KEYS = [
  'limit',
  'offset',
  'marker',
  'sort',
  'sort_key',
  'sort_dir',
  'all_tenants',
  'name',
  'status',
  'description',
  'project_id',
  'plan_id',
  'checkpoint_id',
  'restore_id',
  'provider_id',
  'trigger_id',
  'operation_type',
  'operation_definition',
  'type',
  'properties',
  'start_date',
  'end_date',
  'binary',
  'host',
  'id',
  'parameters',
  '__proto__',
  'constructor',
];

const queryFor = (slot: Slot): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    {
      weight: 6,
      arbitrary: fc
        .array(
          fc
            .oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 }))
            .chain((k) => queryValue(k, slot).map((v) => `${encodePart(k)}=${encodePart(v)}`)),
          { minLength: 1, maxLength: 4 },
        )
        .map((pairs) => `?${pairs.join('&')}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&&&', '?=x', '?limit', '?limit=1&limit=2', '?a=%ZZ', '?%00=%00', `?name=${'x'.repeat(5000)}`) },
  );

// ---------------------------------------------------------------- tokens and headers

const tokenFor = (slot: Slot): fc.Arbitrary<FuzzRequest['token']> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.record({ user: fc.constantFrom('admin' as const, 'member' as const), project: fc.constant(slot) }) },
    { weight: 1, arbitrary: fc.record({ user: fc.constantFrom('admin' as const, 'member' as const), project: fc.constant(other(slot)) }) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(':', '::', 'admin', 'admin:', ':@@project:A@@', 'a b:c', 'x'.repeat(5000)).map((raw) => ({ raw })) },
  );

const CONTENT_TYPES = [
  'text/plain',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/x-www-form-urlencoded',
  'application/json-patch+json',
  'multipart/form-data; boundary=x',
  '',
];
const contentType = fc.oneof({ weight: 12, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) });

const WRONG_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

// ---------------------------------------------------------------- requests

const forRoute = (def: RouteDef): fc.Arbitrary<FuzzRequest> =>
  fc.constantFrom(...SLOTS).chain((slot) =>
    fc.record({
      route: fc.constant(def.id as RouteId),
      method: fc.oneof({ weight: 19, arbitrary: fc.constant<string>(def.method) }, { weight: 1, arbitrary: fc.constantFrom(...WRONG_METHODS) }),
      project: fc.constant(slot),
      path: pathFor(def, slot),
      query: def.method === 'GET' ? queryFor(slot) : fc.oneof({ weight: 9, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryFor(slot) }),
      token: tokenFor(slot),
      body: bodyFor(def, slot),
      contentType,
    }),
  );

/** Paths in no route: the fallback must answer them with a JSON 404/405. */
const unrouted: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...SLOTS).chain((slot) =>
  fc.record({
    route: fc.constant('fallback'),
    method: fc.constantFrom(...WRONG_METHODS),
    project: fc.constant(slot),
    path: fc.oneof(
      fc.constantFrom(
        '/v1',
        '/v2/x',
        `/v1/@@project:${slot}@@/nothing`,
        `/v1/@@project:${slot}@@/plans/x/y`,
        `/v1/@@project:${slot}@@/providers/${NOOP}/checkpoints/action/x`,
      ),
      fc.array(hostileSegment.map(encodePart), { minLength: 1, maxLength: 6 }).map((s) => `/${s.join('/')}`),
    ),
    query: queryFor(slot),
    token: tokenFor(slot),
    body: fc.option(fc.constantFrom('{}', 'x'), { nil: undefined }),
    contentType,
  }),
);

/** Any request: every route of the table equally often, and some paths that match none. */
export const requestArb: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: routes.length, arbitrary: fc.oneof(...routes.map(forRoute)) },
  { weight: 2, arbitrary: unrouted },
);

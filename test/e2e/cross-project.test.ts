import { type RouteDef, routes } from '../../shared/http/routes';
import { createWorld, fillPath, KIND_ROUTES, KINDS, type Kind, NOOP, UNKNOWN, type World } from '../fuzz/world';
import { type ApiResponse, startTestServer, type TestServer } from '../support/local-server';

/**
 * Tenant isolation over every route of the route table: project A has an
 * object of every kind; a member of project B can neither read, change nor
 * learn of them. A new route fails the "every route is classified" test
 * until it has a row in CASES.
 */

const A = 'isolation-proj-a';
const B = 'isolation-proj-b';
const MEMBER_B = `mallory:${B}`;
const ADMIN_B = `admin:${B}`;
/** A project nobody made: what "unknown" means for the quota routes. */
const NOBODY = 'isolation-proj-nobody';

/**
 * How a route treats A's objects when B's member names them.
 * - `none`: no project in the path (version documents)
 * - `catalog`: project-free data (providers, protectables); only the leak scan applies
 * - `list`: a list of `of`; never shows A's objects, A's ids as markers or filters act as unknown ones
 * - `by-id`: names one object in its path; A's id answers exactly as an unknown id
 * - `by-id-forbidden`: as `by-id`, but Karbor answers another project's id with this 403
 *   message (handbook §2 "Cross-project access", docs/decisions.md §1), an unknown one with 404
 * - `create`: names A's objects in its body; answers as for unknown ids (or, with `refused`, Karbor's documented refusal)
 * - `admin`: admin-only, so B's member is refused before anything is read
 */
type Case =
  | { type: 'none' }
  | { type: 'catalog' }
  | { type: 'list'; of: Kind }
  | { type: 'by-id'; of: Kind | 'project'; body?: unknown }
  | { type: 'by-id-forbidden'; of: Kind; message: (id: string) => string; body?: unknown }
  | { type: 'create'; body: (ids: Record<Kind, string>, own: World) => unknown; refused?: (ids: Record<Kind, string>) => [number, unknown] }
  | { type: 'admin'; body?: unknown };

const CASES: Record<string, Case> = {
  'versions.list': { type: 'none' },
  'versions.show': { type: 'none' },
  'providers.list': { type: 'catalog' },
  'providers.show': { type: 'catalog' },
  'protectables.list': { type: 'catalog' },
  'protectables.show': { type: 'catalog' },
  'protectables.listInstances': { type: 'catalog' },
  'protectables.showInstance': { type: 'catalog' },
  // Discovery-scoped like the instances; that another project's plans cover nothing is test/e2e/unprotected.test.ts's.
  'protectables.listUnprotected': { type: 'catalog' },

  'plans.list': { type: 'list', of: 'plan' },
  'plans.create': { type: 'catalog' },
  'plans.show': { type: 'by-id', of: 'plan' },
  'plans.update': { type: 'by-id', of: 'plan', body: { plan: { name: 'taken over' } } },
  'plans.delete': { type: 'by-id', of: 'plan' },

  'triggers.list': { type: 'list', of: 'trigger' },
  'triggers.create': { type: 'catalog' },
  'triggers.show': { type: 'by-id-forbidden', of: 'trigger', message: () => "Policy doesn't allow trigger:get to be performed." },
  'triggers.update': {
    type: 'by-id-forbidden',
    of: 'trigger',
    message: () => "Policy doesn't allow trigger:update to be performed.",
    body: { trigger_info: { name: 'taken over' } },
  },
  'triggers.delete': { type: 'by-id-forbidden', of: 'trigger', message: () => "Policy doesn't allow trigger:delete to be performed." },

  'scheduledOperations.list': { type: 'list', of: 'scheduledOperation' },
  // Handbook §9.3 POST scheduled_operations step 3: another project's trigger is a 400, an unknown one a 404.
  'scheduledOperations.create': {
    type: 'create',
    body: (ids) => ({
      scheduled_operation: { name: 'x', operation_type: 'protect', trigger_id: ids.trigger, operation_definition: { provider_id: NOOP, plan_id: ids.plan } },
    }),
    refused: () => [400, { badRequest: { code: 400, message: 'Invalid trigger id provided.' } }],
  },
  // B's own trigger with A's plan: the plan is looked up in B's project only.
  'scheduledOperations.create+plan': {
    type: 'create',
    body: (ids, own) => ({
      scheduled_operation: { name: 'x', operation_type: 'protect', trigger_id: own.trigger, operation_definition: { provider_id: NOOP, plan_id: ids.plan } },
    }),
  },
  'scheduledOperations.show': {
    type: 'by-id-forbidden',
    of: 'scheduledOperation',
    message: () => "Policy doesn't allow scheduled_operation:get to be performed.",
  },
  'scheduledOperations.delete': {
    type: 'by-id-forbidden',
    of: 'scheduledOperation',
    message: () => "Policy doesn't allow scheduled_operation:delete to be performed.",
  },

  'operationLogs.list': { type: 'list', of: 'operationLog' },
  'operationLogs.show': { type: 'by-id', of: 'operationLog' },

  'services.list': { type: 'admin' },
  'destinations.list': { type: 'admin' },
  'catalog.import': { type: 'admin', body: { import: { bank: 'primary' } } },
  'services.update': { type: 'admin', body: { status: 'disabled' } },

  'quotas.show': { type: 'by-id', of: 'project' },
  'quotas.detail': { type: 'by-id', of: 'project' },
  'quotas.defaults': { type: 'by-id', of: 'project' },
  'quotas.update': { type: 'admin', body: { quota: { plans: 1 } } },
  'quotas.delete': { type: 'admin' },
  'quotaClasses.show': { type: 'catalog' },
  'quotaClasses.update': { type: 'admin', body: { quota_class: { plans: 1 } } },

  'checkpoints.list': { type: 'list', of: 'checkpoint' },
  'checkpoints.create': { type: 'create', body: (ids) => ({ checkpoint: { plan_id: ids.plan } }) },
  'checkpoints.show': { type: 'by-id-forbidden', of: 'checkpoint', message: (id) => `Access checkpoint ${id} is not allowed` },
  'checkpoints.delete': { type: 'by-id-forbidden', of: 'checkpoint', message: (id) => `Access checkpoint ${id} is not allowed` },
  'checkpoints.resetState': { type: 'admin', body: { 'os-resetState': { state: 'error' } } },
  // A's plan is looked up in B's project only: as unknown as a plan that never existed.
  'checkpoints.copy': { type: 'create', body: (ids) => ({ copy: { plan_id: ids.plan } }) },
  'checkpoints.lock': {
    type: 'by-id-forbidden',
    of: 'checkpoint',
    message: (id) => `Access checkpoint ${id} is not allowed`,
    body: { legal_hold: true },
  },

  'restores.list': { type: 'list', of: 'restore' },
  'restores.create': {
    type: 'create',
    body: (ids) => ({ restore: { provider_id: NOOP, checkpoint_id: ids.checkpoint, parameters: {} } }),
    refused: (ids) => [403, { forbidden: { code: 403, message: `Access checkpoint ${ids.checkpoint} is not allowed` } }],
  },
  'restores.show': { type: 'by-id', of: 'restore' },
  'verifications.list': { type: 'list', of: 'verification' },
  'verifications.create': {
    type: 'create',
    body: (ids) => ({ verification: { provider_id: NOOP, checkpoint_id: ids.checkpoint } }),
    refused: (ids) => [403, { forbidden: { code: 403, message: `Access checkpoint ${ids.checkpoint} is not allowed` } }],
  },
  'verifications.show': { type: 'by-id', of: 'verification' },
  // Figures only, of the caller's project (docs/decisions.md §23): the leak scan applies; that B's jobs are not A's is test/e2e/overview.test.ts's.
  'overview.show': { type: 'catalog' },

  // Each project reports on itself; that A's report is a 404 under B and a member's report holds only its jobs is test/e2e/reports.test.ts's.
  'reports.create': { type: 'catalog' },
  'reports.show': { type: 'catalog' },
  'reports.list': { type: 'catalog' },
};

/** Ids no project has, one per kind, shaped like real ones. */
const UNKNOWN_IDS: Record<Kind, string> = Object.fromEntries(KINDS.map((k, i) => [k, UNKNOWN.replace(/f1$/, `0${i}`)])) as Record<Kind, string>;

/** The path of `route` in `project`, naming `id` in its object parameter. */
const pathOf = (route: RouteDef, project: string, ids: Partial<Record<string, string>> = {}): string => {
  const values: Record<string, string> = {
    project_id: project,
    provider_id: NOOP,
    protectable_type: 'OS::Keystone::Project',
    protectable_id: project,
    service_id: '2',
    target_project_id: project,
    class_name: 'default',
    report_id: UNKNOWN,
    ...Object.fromEntries(KINDS.map((k) => [KIND_ROUTES[k].param, UNKNOWN_IDS[k]])),
  };
  for (const [k, v] of Object.entries(ids)) if (v !== undefined) values[k] = v;
  return fillPath(route.path, values);
};

/** The reply with every occurrence of `from` replaced by `to`: A's id answered as the unknown one would be. */
const swapped = (res: ApiResponse, from: string, to: string) => ({ status: res.status, body: JSON.parse(res.text.split(from).join(to) || 'null') });

describe('cross-project isolation over every route', () => {
  let server: TestServer;
  let a: World;
  let b: World;
  let aIds: string[];
  /** A's objects as A's admin sees them, before B tries anything. */
  let before: Record<string, string>;

  /** A's objects and quota, each shown by A's admin. */
  const snapshot = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const kind of KINDS) {
      const show = routes.find((r) => r.id === KIND_ROUTES[kind].show)!;
      out[kind] = (await server.call('GET', pathOf(show, A, { [KIND_ROUTES[kind].param]: a[kind] }))).text;
    }
    out.quota = (await server.call('GET', `/v1/${A}/quotas/${A}`)).text;
    return out;
  };

  /** A call by B that must not tell B anything of A: no A id or project name it did not send itself. */
  const asB = async (method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<ApiResponse> => {
    const res = await server.call(method, path, { token: opts.token ?? MEMBER_B, ...(opts.body === undefined ? {} : { body: opts.body }) });
    const sent = `${path} ${JSON.stringify(opts.body ?? null)}`;
    const leaked = [...aIds, A].filter((secret) => res.text.includes(secret) && !sent.includes(secret));
    expect({ method, path, leaked }).toEqual({ method, path, leaked: [] });
    return res;
  };

  beforeAll(async () => {
    server = await startTestServer();
    a = await createWorld(server, A);
    b = await createWorld(server, B);
    aIds = KINDS.map((k) => a[k]);
    before = await snapshot();
  }, 60_000);
  afterAll(async () => {
    await server.stop();
  });

  it('classifies every route of the route table', () => {
    expect(routes.map((r) => r.id).filter((id) => !CASES[id])).toEqual([]);
    expect(Object.keys(CASES).filter((id) => !routes.some((r) => r.id === id.split('+')[0]))).toEqual([]);
  });

  describe.each(routes.filter((r) => r.path.includes('{project_id}')).map((r) => [r.id, r] as const))('%s', (_id, route) => {
    const c = CASES[route.id];
    const bodyOf = (): unknown => {
      if (c.type === 'create') return c.body(a, b);
      if ('body' in c && c.body !== undefined) return c.body;
      return route.method === 'POST' || route.method === 'PUT' ? {} : undefined;
    };

    it("refuses B's token on A's project URL with 400 saying so, before an admin route's policy (contract §1.2)", async () => {
      // Prepare: the path names A's real objects
      const path = pathOf(route, A, Object.fromEntries(KINDS.map((k) => [KIND_ROUTES[k].param, a[k]])));
      // Act
      const member = await asB(route.method, path, { body: bodyOf() });
      const admin = await asB(route.method, path, { token: ADMIN_B, body: bodyOf() });
      // Assess
      const mismatch = [400, { badRequest: { code: 400, message: `Malformed request url: the token is for project '${B}', not the URL's project '${A}'.` } }];
      expect([member.status, member.body]).toEqual(mismatch);
      expect([admin.status, admin.body]).toEqual(mismatch);
    });

    if (c.type === 'by-id') {
      it("answers A's id under B's project exactly as an unknown id", async () => {
        // Prepare
        const [param, foreign, unknown] = c.of === 'project' ? ['target_project_id', A, NOBODY] : [KIND_ROUTES[c.of].param, a[c.of], UNKNOWN_IDS[c.of]];
        // Act
        const withForeign = await asB(route.method, pathOf(route, B, { [param]: foreign }), { body: c.body });
        const withUnknown = await asB(route.method, pathOf(route, B, { [param]: unknown }), { body: c.body });
        // Assess
        expect(swapped(withForeign, foreign, unknown)).toEqual(swapped(withUnknown, unknown, unknown));
        if (c.of !== 'project') expect(withForeign.status).toBe(404);
      });
    }

    if (c.type === 'by-id-forbidden') {
      it("refuses A's id under B's project with Karbor's 403, and an unknown id with 404", async () => {
        // Act
        const withForeign = await asB(route.method, pathOf(route, B, { [KIND_ROUTES[c.of].param]: a[c.of] }), { body: c.body });
        const withUnknown = await asB(route.method, pathOf(route, B, { [KIND_ROUTES[c.of].param]: UNKNOWN_IDS[c.of] }), { body: c.body });
        // Assess
        expect([withForeign.status, withForeign.body]).toEqual([403, { forbidden: { code: 403, message: c.message(a[c.of]) } }]);
        expect(withUnknown.status).toBe(404);
      });
    }

    for (const [variant, v] of Object.entries(CASES).filter(([id, v]) => id.split('+')[0] === route.id && v.type === 'create')) {
      if (v.type !== 'create') continue;
      it(`${variant}: ${v.refused ? "refuses A's objects in the body as Karbor documents" : "answers A's objects in the body exactly as unknown ones"}`, async () => {
        // Act
        const withForeign = await asB(route.method, pathOf(route, B), { body: v.body(a, b) });
        const withUnknown = await asB(route.method, pathOf(route, B), { body: v.body(UNKNOWN_IDS, b) });
        // Assess
        expect(withForeign.status).toBeGreaterThanOrEqual(400);
        if (v.refused) {
          expect([withForeign.status, withForeign.body]).toEqual(v.refused(a));
        } else {
          const foreignBody = KINDS.reduce((text, k) => text.split(a[k]).join(UNKNOWN_IDS[k]), withForeign.text);
          expect({ status: withForeign.status, body: JSON.parse(foreignBody) }).toEqual({ status: withUnknown.status, body: withUnknown.body });
        }
      });
    }

    if (c.type === 'admin') {
      it("refuses B's member before reading anything (403)", async () => {
        // Act
        const res = await asB(route.method, pathOf(route, B, { target_project_id: A }), { body: c.body });
        // Assess
        expect([res.status, res.body]).toEqual([403, { forbidden: { code: 403, message: `Policy doesn't allow ${route.policy} to be performed.` } }]);
      });
    }

    if (c.type === 'list') {
      const { listKey } = KIND_ROUTES[c.of];
      const ids = (res: ApiResponse) => (res.body[listKey] as { id: string }[]).map((o) => o.id);

      it("never lists A's objects to B's member, with all_tenants=1 or A's ids as filters", async () => {
        // Act
        const plain = await asB('GET', pathOf(route, B));
        const allTenants = await asB('GET', `${pathOf(route, B)}?all_tenants=1`);
        const filtered = await asB('GET', `${pathOf(route, B)}?all_tenants=1&project_id=${A}&plan_id=${a.plan}&checkpoint_id=${a.checkpoint}&id=${a[c.of]}`);
        // Assess
        expect(plain.status).toBe(200);
        expect(ids(plain).length).toBeGreaterThan(0);
        expect(ids(allTenants)).toEqual(ids(plain));
        expect(filtered.status).toBe(200);
        expect(ids(filtered).filter((id) => aIds.includes(id))).toEqual([]);
      });

      it("answers A's ids as markers exactly as an unknown marker", async () => {
        for (const kind of KINDS) {
          // Act
          const withForeign = await asB('GET', `${pathOf(route, B)}?marker=${a[kind]}`);
          const withUnknown = await asB('GET', `${pathOf(route, B)}?marker=${UNKNOWN_IDS[kind]}`);
          // Assess
          expect({ kind, ...swapped(withForeign, a[kind], UNKNOWN_IDS[kind]) }).toEqual({
            kind,
            ...swapped(withUnknown, UNKNOWN_IDS[kind], UNKNOWN_IDS[kind]),
          });
        }
      });

      it("lists A's objects to B's admin with all_tenants=1 (allowed)", async () => {
        // Act
        const res = await server.call('GET', `${pathOf(route, B)}?all_tenants=1`, { token: ADMIN_B });
        // Assess
        expect(res.status).toBe(200);
        expect(ids(res)).toContain(a[c.of]);
      });
    }
  });

  it("leaves A's objects and quota as they were", async () => {
    // Act
    const after = await snapshot();
    // Assess
    expect(after).toEqual(before);
  });
});

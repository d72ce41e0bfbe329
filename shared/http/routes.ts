/**
 * The route table: the only place a route is declared. The CDK stack makes one
 * Lambda and one API Gateway route per entry; the local server mounts the same
 * modules. Paths use API Gateway's `{param}` syntax.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * AWS permissions a function needs beyond its table access; the CDK stack
 * turns each into least-privilege grants.
 * - `discovery`: describe EC2 instances/volumes and list/describe DynamoDB tables
 * - `trigger-schedules`: put/remove the EventBridge rules (or Scheduler schedules) of time triggers
 * - `publish-events`: put events on the karbor event bus
 * - `bank-read` / `bank-write`: the S3 bank bucket
 * - `bank-lock`: S3 Object Lock retention and legal hold on the bank's objects (docs/decisions.md §19)
 * - `protect-aws`: the AWS provider's plugin calls (EC2 snapshots/images, DynamoDB backups)
 * - `destinations`: reads the configured copy destinations (KARBOR_DESTINATIONS, docs/decisions.md §25)
 * - `copy-destinations`: `destinations`, and the copies' calls there (CopySnapshot, CopyImage, AssumeRole of the destinations' roles)
 */
export type Grant =
  | 'discovery'
  | 'trigger-schedules'
  | 'publish-events'
  | 'bank-read'
  | 'bank-write'
  | 'bank-lock'
  | 'protect-aws'
  | 'destinations'
  | 'copy-destinations';

export interface RouteDef {
  /** Stable id, `<resource>.<action>`; also names the Lambda. */
  id: string;
  method: HttpMethod;
  path: string;
  /** Handler module (exports `handler`), relative to the repo root, without extension. */
  module: string;
  /** Karbor's policy name, quoted in 403 messages. */
  policy: string;
  /** `admin` routes refuse members with 403 (Karbor's `admin_api` rule). */
  role: 'member' | 'admin';
  /** What the function may do to the table: read routes get read grants only. */
  access: 'none' | 'read' | 'write';
  /** Answered without a token (version documents). */
  public?: boolean;
  /** Seconds; default 10. */
  timeout?: number;
  /** MB; default 512. Memory buys CPU too: only where 512 is measurably too much or too little. */
  memory?: number;
  /** A creating POST that honours `Idempotency-Key` (its handler uses middleware/idempotency.ts). */
  idempotent?: boolean;
  grants?: readonly Grant[];
}

const V1 = '/v1/{project_id}';
const DISCOVERY: readonly Grant[] = ['discovery'];
/** A plan's create and update check the destinations it names. */
const PLAN_EDIT: readonly Grant[] = ['discovery', 'destinations'];

/** A table entry: the module follows from the id, the role defaults to member. */
type RouteEntry = Omit<RouteDef, 'module' | 'role'> & Partial<Pick<RouteDef, 'module' | 'role'>>;

/** `plans.create` -> `functions/plans/create`, `checkpoints.resetState` -> `functions/checkpoints/reset-state`. */
const moduleOf = (id: string): string => `functions/${id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace('.', '/')}`;

const entry = (e: RouteEntry): RouteDef => ({ ...e, module: e.module ?? moduleOf(e.id), role: e.role ?? 'member' });

const ENTRIES = [
  // Static documents, no SDK client and no table: 256 MB is plenty.
  { id: 'versions.list', method: 'GET', path: '/', policy: 'versions:get', access: 'none', public: true, memory: 256 },
  { id: 'versions.show', method: 'GET', path: '/v1', policy: 'versions:get', access: 'none', public: true, memory: 256 },

  { id: 'providers.list', method: 'GET', path: `${V1}/providers`, policy: 'provider:get_all', access: 'none' },
  { id: 'providers.show', method: 'GET', path: `${V1}/providers/{provider_id}`, policy: 'provider:get', access: 'none' },

  { id: 'protectables.list', method: 'GET', path: `${V1}/protectables`, policy: 'protectable:get_all', access: 'none' },
  { id: 'protectables.show', method: 'GET', path: `${V1}/protectables/{protectable_type}`, policy: 'protectable:get', access: 'none' },
  {
    id: 'protectables.listInstances',
    method: 'GET',
    path: `${V1}/protectables/{protectable_type}/instances`,
    policy: 'protectable:instance_get_all',
    access: 'none',
    grants: DISCOVERY,
  },
  // An extension (docs/decisions.md §21): the type's instances no plan of the project covers.
  {
    id: 'protectables.listUnprotected',
    method: 'GET',
    path: `${V1}/protectables/{protectable_type}/unprotected`,
    policy: 'protectable:instance_get_all',
    access: 'read',
    grants: DISCOVERY,
  },
  {
    id: 'protectables.showInstance',
    method: 'GET',
    path: `${V1}/protectables/{protectable_type}/instances/{protectable_id}`,
    policy: 'protectable:instance_get',
    access: 'none',
    grants: DISCOVERY,
  },

  { id: 'plans.list', method: 'GET', path: `${V1}/plans`, policy: 'plan:get_all', access: 'read' },
  // Plan resources are checked against discovery (what the project may protect).
  { id: 'plans.create', method: 'POST', path: `${V1}/plans`, policy: 'plan:create', access: 'write', grants: PLAN_EDIT, idempotent: true },
  { id: 'plans.show', method: 'GET', path: `${V1}/plans/{plan_id}`, policy: 'plan:get', access: 'read' },
  { id: 'plans.update', method: 'PUT', path: `${V1}/plans/{plan_id}`, policy: 'plan:update', access: 'write', grants: PLAN_EDIT },
  { id: 'plans.delete', method: 'DELETE', path: `${V1}/plans/{plan_id}`, policy: 'plan:delete', access: 'write' },

  { id: 'triggers.list', method: 'GET', path: `${V1}/triggers`, policy: 'trigger:list', access: 'read' },
  { id: 'triggers.create', method: 'POST', path: `${V1}/triggers`, policy: 'trigger:create', access: 'write', grants: ['trigger-schedules'], idempotent: true },
  { id: 'triggers.show', method: 'GET', path: `${V1}/triggers/{trigger_id}`, policy: 'trigger:get', access: 'read' },
  { id: 'triggers.update', method: 'PUT', path: `${V1}/triggers/{trigger_id}`, policy: 'trigger:update', access: 'write', grants: ['trigger-schedules'] },
  { id: 'triggers.delete', method: 'DELETE', path: `${V1}/triggers/{trigger_id}`, policy: 'trigger:delete', access: 'write', grants: ['trigger-schedules'] },

  { id: 'scheduledOperations.list', method: 'GET', path: `${V1}/scheduled_operations`, policy: 'scheduled_operation:list', access: 'read' },
  {
    id: 'scheduledOperations.create',
    method: 'POST',
    path: `${V1}/scheduled_operations`,
    policy: 'scheduled_operation:create',
    access: 'write',
    idempotent: true,
  },
  {
    id: 'scheduledOperations.show',
    method: 'GET',
    path: `${V1}/scheduled_operations/{scheduled_operation_id}`,
    policy: 'scheduled_operation:get',
    access: 'read',
  },
  {
    id: 'scheduledOperations.delete',
    method: 'DELETE',
    path: `${V1}/scheduled_operations/{scheduled_operation_id}`,
    policy: 'scheduled_operation:delete',
    access: 'write',
  },

  { id: 'operationLogs.list', method: 'GET', path: `${V1}/operation_logs`, policy: 'operation_log:list', access: 'read' },
  { id: 'operationLogs.show', method: 'GET', path: `${V1}/operation_logs/{operation_log_id}`, policy: 'operation_log:get', access: 'read' },

  { id: 'services.list', method: 'GET', path: `${V1}/os-services`, policy: 'service:get_all', role: 'admin', access: 'read' },
  { id: 'services.update', method: 'PUT', path: `${V1}/os-services/{service_id}`, policy: 'service:update', role: 'admin', access: 'write' },

  // Extension (docs/decisions.md §25): the configured copy destinations, without their external ids; admin only.
  {
    id: 'destinations.list',
    method: 'GET',
    path: `${V1}/destinations`,
    policy: 'destination:get_all',
    role: 'admin',
    access: 'none',
    grants: ['destinations'],
  },

  // Extension (docs/decisions.md §26): the catalog rebuilt from a bank's checkpoint records (the DR Region's stack, or after lost items); admin only.
  {
    id: 'catalog.import',
    method: 'POST',
    path: `${V1}/catalog/import`,
    policy: 'catalog:import',
    role: 'admin',
    access: 'write',
    timeout: 300,
    grants: ['bank-read', 'destinations'],
  },

  { id: 'quotas.show', method: 'GET', path: `${V1}/quotas/{target_project_id}`, policy: 'quota:get', access: 'read' },
  { id: 'quotas.detail', method: 'GET', path: `${V1}/quotas/{target_project_id}/detail`, policy: 'quota:get', access: 'read' },
  { id: 'quotas.defaults', method: 'GET', path: `${V1}/quotas/{target_project_id}/defaults`, policy: 'quota:get_default', access: 'read' },
  { id: 'quotas.update', method: 'PUT', path: `${V1}/quotas/{target_project_id}`, policy: 'quota:update', role: 'admin', access: 'write' },
  { id: 'quotas.delete', method: 'DELETE', path: `${V1}/quotas/{target_project_id}`, policy: 'quota:delete', role: 'admin', access: 'write' },
  { id: 'quotaClasses.show', method: 'GET', path: `${V1}/quota_classes/{class_name}`, policy: 'quota_class:get', access: 'read' },
  { id: 'quotaClasses.update', method: 'PUT', path: `${V1}/quota_classes/{class_name}`, policy: 'quota_class:update', role: 'admin', access: 'write' },

  { id: 'checkpoints.list', method: 'GET', path: `${V1}/providers/{provider_id}/checkpoints`, policy: 'provider:checkpoint_get_all', access: 'read' },
  {
    id: 'checkpoints.create',
    method: 'POST',
    path: `${V1}/providers/{provider_id}/checkpoints`,
    policy: 'provider:checkpoint_create',
    access: 'write',
    grants: ['publish-events'],
    idempotent: true,
  },
  {
    id: 'checkpoints.show',
    method: 'GET',
    path: `${V1}/providers/{provider_id}/checkpoints/{checkpoint_id}`,
    policy: 'provider:checkpoint_get',
    access: 'read',
  },
  {
    id: 'checkpoints.delete',
    method: 'DELETE',
    path: `${V1}/providers/{provider_id}/checkpoints/{checkpoint_id}`,
    policy: 'provider:checkpoint_delete',
    access: 'write',
    grants: ['publish-events'],
  },
  {
    id: 'checkpoints.resetState',
    method: 'PUT',
    path: `${V1}/providers/{provider_id}/checkpoints/{checkpoint_id}`,
    policy: 'provider:checkpoint_update',
    role: 'admin',
    access: 'write',
    grants: ['publish-events'],
  },
  // Extension (docs/decisions.md §19): members lock and hold; lifting needs the unlock right, checked by the use case.
  {
    id: 'checkpoints.lock',
    method: 'PUT',
    path: `${V1}/providers/{provider_id}/checkpoints/{checkpoint_id}/lock`,
    policy: 'provider:checkpoint_lock',
    access: 'write',
    grants: ['bank-lock'],
  },

  // `.../checkpoints/action` is a literal segment, so it wins over `{checkpoint_id}` (here, in the local server and in API Gateway).
  {
    id: 'checkpoints.copy',
    method: 'POST',
    path: `${V1}/providers/{provider_id}/checkpoints/action`,
    policy: 'copy:create',
    access: 'write',
    grants: ['publish-events', 'destinations'],
    idempotent: true,
  },

  { id: 'restores.list', method: 'GET', path: `${V1}/restores`, policy: 'restore:get_all', access: 'read' },
  { id: 'restores.create', method: 'POST', path: `${V1}/restores`, policy: 'restore:create', access: 'write', grants: ['publish-events'], idempotent: true },
  { id: 'restores.show', method: 'GET', path: `${V1}/restores/{restore_id}`, policy: 'restore:get', access: 'read' },
  { id: 'verifications.list', method: 'GET', path: `${V1}/verifications`, policy: 'verification:get_all', access: 'read' },
  {
    id: 'verifications.create',
    method: 'POST',
    path: `${V1}/verifications`,
    policy: 'verification:create',
    access: 'write',
    grants: ['publish-events'],
    idempotent: true,
  },
  // Extension (docs/decisions.md §23): the console's overview, from counters the jobs' final writes keep.
  { id: 'overview.show', method: 'GET', path: `${V1}/overview`, policy: 'overview:get', access: 'read' },
  { id: 'verifications.show', method: 'GET', path: `${V1}/verifications/{verification_id}`, policy: 'verification:get', access: 'read' },

  // An extension (docs/decisions.md §22): jobs and compliance written to the bank, fetched by short-lived links.
  { id: 'reports.create', method: 'POST', path: `${V1}/reports`, policy: 'report:create', access: 'read', grants: ['bank-write'], timeout: 60 },
  { id: 'reports.show', method: 'GET', path: `${V1}/reports/{report_id}`, policy: 'report:get', access: 'none', grants: ['bank-read'] },
  { id: 'reports.list', method: 'GET', path: `${V1}/reports`, policy: 'report:get', access: 'none', grants: ['bank-read'] },
] as const satisfies readonly RouteEntry[];

/**
 * Every route id, and `fallback`: a handler names its route by one
 * (shared/http/route.ts), so a renamed or removed route is a type error in
 * its handler, not a function that answers for no route.
 */
export type RouteId = (typeof ENTRIES)[number]['id'] | 'fallback';

export const routes: readonly RouteDef[] = ENTRIES.map(entry);

/** Answers every request no route matches: 404, or 405 for a known path (API Gateway's `$default`). */
export const fallbackRoute: RouteDef = entry({
  id: 'fallback',
  method: 'GET',
  path: '$default',
  module: 'functions/fallback/not-routed',
  policy: 'none',
  access: 'none',
});

export const routeById = (id: RouteId): RouteDef => {
  const found = id === fallbackRoute.id ? fallbackRoute : routes.find((r) => r.id === id);
  if (!found) throw new Error(`unknown route id ${id}`);
  return found;
};

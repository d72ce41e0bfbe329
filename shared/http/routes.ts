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
 * - `protect-aws`: the AWS provider's plugin calls (EC2 snapshots/images, DynamoDB backups)
 */
export type Grant = 'discovery' | 'trigger-schedules' | 'publish-events' | 'bank-read' | 'bank-write' | 'protect-aws';

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
  grants?: readonly Grant[];
}

const V1 = '/v1/{project_id}';
const DISCOVERY: readonly Grant[] = ['discovery'];

export const routes: readonly RouteDef[] = [
  { id: 'versions.list', method: 'GET', path: '/', module: 'functions/versions/list', policy: 'versions:get', role: 'member', access: 'none', public: true },
  { id: 'versions.show', method: 'GET', path: '/v1', module: 'functions/versions/show', policy: 'versions:get', role: 'member', access: 'none', public: true },

  { id: 'providers.list', method: 'GET', path: `${V1}/providers`, module: 'functions/providers/list', policy: 'provider:get_all', role: 'member', access: 'none' },
  { id: 'providers.show', method: 'GET', path: `${V1}/providers/{provider_id}`, module: 'functions/providers/show', policy: 'provider:get', role: 'member', access: 'none' },

  { id: 'protectables.list', method: 'GET', path: `${V1}/protectables`, module: 'functions/protectables/list', policy: 'protectable:get_all', role: 'member', access: 'none' },
  { id: 'protectables.show', method: 'GET', path: `${V1}/protectables/{protectable_type}`, module: 'functions/protectables/show', policy: 'protectable:get', role: 'member', access: 'none' },
  { id: 'protectables.listInstances', method: 'GET', path: `${V1}/protectables/{protectable_type}/instances`, module: 'functions/protectables/list-instances', policy: 'protectable:instance_get_all', role: 'member', access: 'none', grants: DISCOVERY },
  { id: 'protectables.showInstance', method: 'GET', path: `${V1}/protectables/{protectable_type}/instances/{protectable_id}`, module: 'functions/protectables/show-instance', policy: 'protectable:instance_get', role: 'member', access: 'none', grants: DISCOVERY },

  { id: 'plans.list', method: 'GET', path: `${V1}/plans`, module: 'functions/plans/list', policy: 'plan:get_all', role: 'member', access: 'read' },
  { id: 'plans.create', method: 'POST', path: `${V1}/plans`, module: 'functions/plans/create', policy: 'plan:create', role: 'member', access: 'write' },
  { id: 'plans.show', method: 'GET', path: `${V1}/plans/{plan_id}`, module: 'functions/plans/show', policy: 'plan:get', role: 'member', access: 'read' },
  { id: 'plans.update', method: 'PUT', path: `${V1}/plans/{plan_id}`, module: 'functions/plans/update', policy: 'plan:update', role: 'member', access: 'write' },
  { id: 'plans.delete', method: 'DELETE', path: `${V1}/plans/{plan_id}`, module: 'functions/plans/delete', policy: 'plan:delete', role: 'member', access: 'write' },

  { id: 'triggers.list', method: 'GET', path: `${V1}/triggers`, module: 'functions/triggers/list', policy: 'trigger:list', role: 'member', access: 'read' },
  { id: 'triggers.create', method: 'POST', path: `${V1}/triggers`, module: 'functions/triggers/create', policy: 'trigger:create', role: 'member', access: 'write', grants: ['trigger-schedules'] },
  { id: 'triggers.show', method: 'GET', path: `${V1}/triggers/{trigger_id}`, module: 'functions/triggers/show', policy: 'trigger:get', role: 'member', access: 'read' },
  { id: 'triggers.update', method: 'PUT', path: `${V1}/triggers/{trigger_id}`, module: 'functions/triggers/update', policy: 'trigger:update', role: 'member', access: 'write', grants: ['trigger-schedules'] },
  { id: 'triggers.delete', method: 'DELETE', path: `${V1}/triggers/{trigger_id}`, module: 'functions/triggers/delete', policy: 'trigger:delete', role: 'member', access: 'write', grants: ['trigger-schedules'] },

  { id: 'scheduledOperations.list', method: 'GET', path: `${V1}/scheduled_operations`, module: 'functions/scheduled-operations/list', policy: 'scheduled_operation:list', role: 'member', access: 'read' },
  { id: 'scheduledOperations.create', method: 'POST', path: `${V1}/scheduled_operations`, module: 'functions/scheduled-operations/create', policy: 'scheduled_operation:create', role: 'member', access: 'write' },
  { id: 'scheduledOperations.show', method: 'GET', path: `${V1}/scheduled_operations/{scheduled_operation_id}`, module: 'functions/scheduled-operations/show', policy: 'scheduled_operation:get', role: 'member', access: 'read' },
  { id: 'scheduledOperations.delete', method: 'DELETE', path: `${V1}/scheduled_operations/{scheduled_operation_id}`, module: 'functions/scheduled-operations/delete', policy: 'scheduled_operation:delete', role: 'member', access: 'write' },

  { id: 'operationLogs.list', method: 'GET', path: `${V1}/operation_logs`, module: 'functions/operation-logs/list', policy: 'operation_log:list', role: 'member', access: 'read' },
  { id: 'operationLogs.show', method: 'GET', path: `${V1}/operation_logs/{operation_log_id}`, module: 'functions/operation-logs/show', policy: 'operation_log:get', role: 'member', access: 'read' },

  { id: 'services.list', method: 'GET', path: `${V1}/os-services`, module: 'functions/services/list', policy: 'service:get_all', role: 'admin', access: 'read' },
  { id: 'services.update', method: 'PUT', path: `${V1}/os-services/{service_id}`, module: 'functions/services/update', policy: 'service:update', role: 'admin', access: 'write' },

  { id: 'quotas.show', method: 'GET', path: `${V1}/quotas/{target_project_id}`, module: 'functions/quotas/show', policy: 'quota:get', role: 'member', access: 'read' },
  { id: 'quotas.detail', method: 'GET', path: `${V1}/quotas/{target_project_id}/detail`, module: 'functions/quotas/detail', policy: 'quota:get', role: 'member', access: 'read' },
  { id: 'quotas.defaults', method: 'GET', path: `${V1}/quotas/{target_project_id}/defaults`, module: 'functions/quotas/defaults', policy: 'quota:get_default', role: 'member', access: 'read' },
  { id: 'quotas.update', method: 'PUT', path: `${V1}/quotas/{target_project_id}`, module: 'functions/quotas/update', policy: 'quota:update', role: 'admin', access: 'write' },
  { id: 'quotas.delete', method: 'DELETE', path: `${V1}/quotas/{target_project_id}`, module: 'functions/quotas/delete', policy: 'quota:delete', role: 'admin', access: 'write' },
  { id: 'quotaClasses.show', method: 'GET', path: `${V1}/quota_classes/{class_name}`, module: 'functions/quota-classes/show', policy: 'quota_class:get', role: 'member', access: 'read' },
  { id: 'quotaClasses.update', method: 'PUT', path: `${V1}/quota_classes/{class_name}`, module: 'functions/quota-classes/update', policy: 'quota_class:update', role: 'admin', access: 'write' },

  { id: 'checkpoints.list', method: 'GET', path: `${V1}/providers/{provider_id}/checkpoints`, module: 'functions/checkpoints/list', policy: 'provider:checkpoint_get_all', role: 'member', access: 'read' },
  { id: 'checkpoints.create', method: 'POST', path: `${V1}/providers/{provider_id}/checkpoints`, module: 'functions/checkpoints/create', policy: 'provider:checkpoint_create', role: 'member', access: 'write', grants: ['publish-events'] },
  { id: 'checkpoints.show', method: 'GET', path: `${V1}/providers/{provider_id}/checkpoints/{checkpoint_id}`, module: 'functions/checkpoints/show', policy: 'provider:checkpoint_get', role: 'member', access: 'read' },
  { id: 'checkpoints.delete', method: 'DELETE', path: `${V1}/providers/{provider_id}/checkpoints/{checkpoint_id}`, module: 'functions/checkpoints/delete', policy: 'provider:checkpoint_delete', role: 'member', access: 'write', grants: ['publish-events'] },
  { id: 'checkpoints.resetState', method: 'PUT', path: `${V1}/providers/{provider_id}/checkpoints/{checkpoint_id}`, module: 'functions/checkpoints/reset-state', policy: 'provider:checkpoint_update', role: 'admin', access: 'write', grants: ['publish-events'] },

  { id: 'restores.list', method: 'GET', path: `${V1}/restores`, module: 'functions/restores/list', policy: 'restore:get_all', role: 'member', access: 'read' },
  { id: 'restores.create', method: 'POST', path: `${V1}/restores`, module: 'functions/restores/create', policy: 'restore:create', role: 'member', access: 'write', grants: ['publish-events'] },
  { id: 'restores.show', method: 'GET', path: `${V1}/restores/{restore_id}`, module: 'functions/restores/show', policy: 'restore:get', role: 'member', access: 'read' },
  { id: 'verifications.list', method: 'GET', path: `${V1}/verifications`, module: 'functions/verifications/list', policy: 'verification:get_all', role: 'member', access: 'read' },
  { id: 'verifications.create', method: 'POST', path: `${V1}/verifications`, module: 'functions/verifications/create', policy: 'verification:create', role: 'member', access: 'write' },
  { id: 'verifications.show', method: 'GET', path: `${V1}/verifications/{verification_id}`, module: 'functions/verifications/show', policy: 'verification:get', role: 'member', access: 'read' },
];

/** Answers every request no route matches: 404, or 405 for a known path (API Gateway's `$default`). */
export const fallbackRoute: RouteDef = {
  id: 'fallback', method: 'GET', path: '$default', module: 'functions/fallback/not-routed', policy: 'none', role: 'member', access: 'none',
};

export const routeById = (id: string): RouteDef => {
  const found = id === fallbackRoute.id ? fallbackRoute : routes.find((r) => r.id === id);
  if (!found) throw new Error(`unknown route id ${id}`);
  return found;
};

import type { HappyStep } from './api';
import { NOOP } from './http';

const P = 'bench-capacity';
const V = `/v1/${P}`;

/** Every route's happy path in an order where each step has what it needs. */
export const happyPath = (): HappyStep[] => {
  const ids: Record<string, string> = {};
  const _id = (k: string) => () => ids[k];
  return [
    { route: 'providers.list', method: 'GET', path: `${V}/providers` },
    { route: 'providers.show', method: 'GET', path: `${V}/providers/${NOOP}` },
    { route: 'protectables.list', method: 'GET', path: `${V}/protectables` },
    { route: 'protectables.show', method: 'GET', path: `${V}/protectables/OS::Nova::Server` },
    { route: 'protectables.listInstances', method: 'GET', path: `${V}/protectables/OS::Keystone::Project/instances` },
    { route: 'protectables.showInstance', method: 'GET', path: `${V}/protectables/OS::Keystone::Project/instances/${P}` },
    {
      route: 'plans.create',
      method: 'POST',
      path: `${V}/plans`,
      body: { plan: { name: 'p', description: null, provider_id: NOOP, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }], parameters: {} } },
      keep: (b) => (ids.plan = b.plan.id),
    },
    { route: 'plans.show', method: 'GET', path: () => `${V}/plans/${ids.plan}` },
    { route: 'plans.list', method: 'GET', path: `${V}/plans?limit=50` },
    { route: 'plans.update', method: 'PUT', path: () => `${V}/plans/${ids.plan}`, body: { plan: { name: 'p2' } } },
    {
      route: 'triggers.create',
      method: 'POST',
      path: `${V}/triggers`,
      body: { trigger_info: { name: 't', type: 'time', properties: { format: 'crontab', pattern: '0 * * * *', window: 30 } } },
      keep: (b) => (ids.trigger = b.trigger_info.id),
    },
    { route: 'triggers.show', method: 'GET', path: () => `${V}/triggers/${ids.trigger}` },
    { route: 'triggers.list', method: 'GET', path: `${V}/triggers` },
    { route: 'triggers.update', method: 'PUT', path: () => `${V}/triggers/${ids.trigger}`, body: { trigger_info: { name: 't2', properties: {} } } },
    {
      route: 'scheduledOperations.create',
      method: 'POST',
      path: `${V}/scheduled_operations`,
      body: () => ({
        scheduled_operation: {
          name: 'o',
          description: 'd',
          operation_type: 'protect',
          trigger_id: ids.trigger,
          operation_definition: { provider_id: NOOP, plan_id: ids.plan },
        },
      }),
      keep: (b) => (ids.operation = b.scheduled_operation.id),
    },
    { route: 'scheduledOperations.show', method: 'GET', path: () => `${V}/scheduled_operations/${ids.operation}` },
    { route: 'scheduledOperations.list', method: 'GET', path: `${V}/scheduled_operations` },
    {
      route: 'checkpoints.create',
      method: 'POST',
      path: `${V}/providers/${NOOP}/checkpoints`,
      body: () => ({ checkpoint: { plan_id: ids.plan, 'extra-info': null } }),
      keep: (b) => (ids.checkpoint = b.checkpoint.id),
    },
    { route: 'checkpoints.show', method: 'GET', path: () => `${V}/providers/${NOOP}/checkpoints/${ids.checkpoint}` },
    { route: 'checkpoints.list', method: 'GET', path: `${V}/providers/${NOOP}/checkpoints` },
    { route: 'operationLogs.list', method: 'GET', path: `${V}/operation_logs`, keep: (b) => (ids.log = b.operation_logs[0]?.id) },
    { route: 'operationLogs.show', method: 'GET', path: () => `${V}/operation_logs/${ids.log}` },
    {
      route: 'restores.create',
      method: 'POST',
      path: `${V}/restores`,
      body: () => ({ restore: { provider_id: NOOP, checkpoint_id: ids.checkpoint, restore_target: null, restore_auth: null, parameters: {} } }),
      keep: (b) => (ids.restore = b.restore.id),
    },
    { route: 'restores.show', method: 'GET', path: () => `${V}/restores/${ids.restore}` },
    { route: 'restores.list', method: 'GET', path: `${V}/restores` },
    {
      route: 'verifications.create',
      method: 'POST',
      path: `${V}/verifications`,
      body: () => ({ verification: { provider_id: NOOP, checkpoint_id: ids.checkpoint, parameters: {} } }),
      keep: (b) => (ids.verification = b.verification.id),
    },
    { route: 'verifications.show', method: 'GET', path: () => `${V}/verifications/${ids.verification}` },
    { route: 'verifications.list', method: 'GET', path: `${V}/verifications` },
    { route: 'quotas.update', method: 'PUT', path: `${V}/quotas/${P}`, body: { quota: { plans: 20 } } },
    { route: 'quotas.show', method: 'GET', path: `${V}/quotas/${P}` },
    { route: 'quotas.detail', method: 'GET', path: `${V}/quotas/${P}/detail` },
    { route: 'quotas.defaults', method: 'GET', path: `${V}/quotas/${P}/defaults` },
    { route: 'quotas.delete', method: 'DELETE', path: `${V}/quotas/${P}` },
    { route: 'quotaClasses.update', method: 'PUT', path: `${V}/quota_classes/bench`, body: { quota_class: { checkpoints: 100 } } },
    { route: 'quotaClasses.show', method: 'GET', path: `${V}/quota_classes/bench` },
    {
      route: 'services.list',
      method: 'GET',
      path: `${V}/os-services`,
      keep: (b) => (ids.service = String(b.services.find((s: { binary: string }) => s.binary === 'karbor-operationengine').id)),
    },
    { route: 'services.update', method: 'PUT', path: () => `${V}/os-services/${ids.service}`, body: { status: 'enabled' } },
    { route: 'scheduledOperations.delete', method: 'DELETE', path: () => `${V}/scheduled_operations/${ids.operation}` },
    { route: 'triggers.delete', method: 'DELETE', path: () => `${V}/triggers/${ids.trigger}` },
    { route: 'checkpoints.delete', method: 'DELETE', path: () => `${V}/providers/${NOOP}/checkpoints/${ids.checkpoint}` },
    { route: 'plans.delete', method: 'DELETE', path: () => `${V}/plans/${ids.plan}` },
  ];
};

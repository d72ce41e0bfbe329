import type { TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';
import type { RouteId } from '../../shared/http/routes';

/**
 * The objects the fuzzer and the cross-project matrix work on: one of every
 * kind in a project, made through the API as a client would (the flows of
 * the e2e tests: No-Op provider, a daily calendar trigger).
 */

export const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
export const AWS = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
/** A well-formed id no project has. */
export const UNKNOWN = '9b1d0f4e-7a3c-4d2e-9f55-0000000000f1';
export const DAILY = 'BEGIN:VEVENT\nRRULE:FREQ=DAILY;INTERVAL=1;\nEND:VEVENT';

/** The object kinds a project owns, each with its list and show route. */
export const KINDS = ['plan', 'trigger', 'scheduledOperation', 'checkpoint', 'restore', 'verification', 'operationLog'] as const;
export type Kind = (typeof KINDS)[number];

export interface KindRoutes {
  list: RouteId;
  show: RouteId;
  /** The list's key in the response body. */
  listKey: string;
  /** The path parameter naming the object. */
  param: string;
}

export const KIND_ROUTES: Record<Kind, KindRoutes> = {
  plan: { list: 'plans.list', show: 'plans.show', listKey: 'plans', param: 'plan_id' },
  trigger: { list: 'triggers.list', show: 'triggers.show', listKey: 'triggers', param: 'trigger_id' },
  scheduledOperation: {
    list: 'scheduledOperations.list',
    show: 'scheduledOperations.show',
    listKey: 'operations',
    param: 'scheduled_operation_id',
  },
  checkpoint: { list: 'checkpoints.list', show: 'checkpoints.show', listKey: 'checkpoints', param: 'checkpoint_id' },
  restore: { list: 'restores.list', show: 'restores.show', listKey: 'restores', param: 'restore_id' },
  verification: { list: 'verifications.list', show: 'verifications.show', listKey: 'verifications', param: 'verification_id' },
  operationLog: { list: 'operationLogs.list', show: 'operationLogs.show', listKey: 'operation_logs', param: 'operation_log_id' },
};

export type World = Record<Kind, string>;

/** Fills a route path: `{project_id}` and the other `{params}` from `values`, each segment percent-encoded. */
export const fillPath = (template: string, values: Record<string, string>): string =>
  template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });

const ok = <T>(res: { status: number; text: string; body: T }, what: string): T => {
  if (res.status !== 200) throw new Error(`world: ${what} answered ${res.status} ${res.text}`);
  return res.body;
};

/** Makes one object of every kind in `project` (as its admin) and waits until no job is running. */
export const createWorld = async (server: TestServer, project: string): Promise<World> => {
  const base = `/v1/${project}`;
  const plan = ok(
    await server.call('POST', `${base}/plans`, {
      body: {
        plan: { name: `plan ${project}`, provider_id: NOOP, parameters: {}, resources: [{ id: project, type: 'OS::Keystone::Project', name: project }] },
      },
    }),
    'plan create',
  ).plan.id as string;
  const trigger = ok(
    await server.call('POST', `${base}/triggers`, {
      body: { trigger_info: { name: `trigger ${project}`, type: 'time', properties: { format: 'calendar', pattern: DAILY } } },
    }),
    'trigger create',
  ).trigger_info.id as string;
  const scheduledOperation = ok(
    await server.call('POST', `${base}/scheduled_operations`, {
      body: {
        scheduled_operation: {
          name: `op ${project}`,
          operation_type: 'protect',
          trigger_id: trigger,
          operation_definition: { provider_id: NOOP, plan_id: plan },
        },
      },
    }),
    'scheduled operation create',
  ).scheduled_operation.id as string;
  const checkpoint = ok(await server.call('POST', `${base}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: plan } } }), 'checkpoint create')
    .checkpoint.id as string;
  const shown = await waitFor(
    () => server.call('GET', `${base}/providers/${NOOP}/checkpoints/${checkpoint}`),
    (r) => r.body.checkpoint?.status !== 'protecting',
  );
  if (shown.body.checkpoint?.status !== 'available') throw new Error(`world: checkpoint ended ${shown.text}`);
  const restore = ok(
    await server.call('POST', `${base}/restores`, { body: { restore: { provider_id: NOOP, checkpoint_id: checkpoint, parameters: {} } } }),
    'restore create',
  ).restore.id as string;
  await waitFor(
    () => server.call('GET', `${base}/restores/${restore}`),
    (r) => r.body.restore?.status !== 'in_progress',
  );
  const verification = ok(
    await server.call('POST', `${base}/verifications`, { body: { verification: { provider_id: NOOP, checkpoint_id: checkpoint } } }),
    'verification create',
  ).verification.id as string;
  const logs = ok(await server.call('GET', `${base}/operation_logs?checkpoint_id=${checkpoint}`), 'operation log list').operation_logs as { id: string }[];
  if (logs.length === 0) throw new Error('world: the checkpoint left no operation log');
  ok(await server.call('PUT', `${base}/quotas/${project}`, { body: { quota: { plans: 40 } } }), 'quota update');
  return { plan, trigger, scheduledOperation, checkpoint, restore, verification, operationLog: logs[0].id };
};

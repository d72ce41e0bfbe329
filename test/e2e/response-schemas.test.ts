import { readFileSync } from 'node:fs';
import path from 'node:path';
import { operationOf, responseProblems } from '../support/openapi-check';
import { REPO_ROOT, startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';
import { allowOneMinuteTriggers } from '../support/triggers';

/**
 * Every operation of docs/openapi.json answered once by the real local
 * server, success and the usual faults, each answer held to the document by
 * `server.call` (test/support/openapi-check.ts): a view whose shape drifts
 * from the document fails here even when no other test reads that field.
 */
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'schemaproj';
const UNKNOWN = '9b1d0f4e-7a3c-4d2e-9f55-0000000000aa';
const DOC = JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs', 'openapi.json'), 'utf8'));

allowOneMinuteTriggers();

let server: TestServer;
/** operationId → the statuses it answered here. */
const answered = new Map<string, Set<number>>();

const call = async (method: string, p: string, opts: { token?: string | null; body?: unknown } = {}) => {
  const res = await server.call(method, p, opts);
  const op = operationOf(method, p)?.op.operationId as string | undefined;
  if (op) answered.set(op, (answered.get(op) ?? new Set()).add(res.status));
  return res;
};

beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

it('answers every documented operation within the document, success and faults', async () => {
  const v = `/v1/${P}`;
  await call('GET', '/', { token: null });
  await call('GET', '/v1', { token: null });
  await call('GET', `${v}/providers`);
  await call('GET', `${v}/providers/${NOOP}`);
  await call('GET', `${v}/providers/${UNKNOWN}`);
  await call('GET', `${v}/protectables`);
  await call('GET', `${v}/protectables/OS::Keystone::Project`);
  await call('GET', `${v}/protectables/OS::Keystone::Project/instances`);
  await call('GET', `${v}/protectables/OS::Keystone::Project/instances/${P}`);
  await call('GET', `${v}/protectables/OS::Keystone::Project/unprotected`);

  const plan = await call('POST', `${v}/plans`, {
    body: { plan: { name: 'schemas', provider_id: NOOP, parameters: {}, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }] } },
  });
  const planId = plan.body.plan.id as string;
  await call('POST', `${v}/plans`, { body: { plan: { name: 'no provider' } } });
  await call('GET', `${v}/plans`);
  await call('GET', `${v}/plans/${planId}`);
  await call('GET', `${v}/plans/${UNKNOWN}`);
  await call('PUT', `${v}/plans/${planId}`, { body: { plan: { name: 'schemas renamed' } } });
  await call('GET', `${v}/plans`, { token: 'alice:another-project' });
  // A full page: its next link is held to the document too.
  const second = await call('POST', `${v}/plans`, {
    body: { plan: { name: 'second', provider_id: NOOP, parameters: {}, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }] } },
  });
  const page = await call('GET', `${v}/plans?limit=1`);
  expect(page.body.plans_links).toEqual([{ rel: 'next', href: expect.stringContaining('marker=') }]);
  // A live answer with a field the document does not name is drift.
  const drifted = { plan: { ...plan.body.plan, surprise: 1 } };
  expect(responseProblems('GET', `${v}/plans/${planId}`, 200, JSON.stringify(drifted))).toEqual([
    expect.stringContaining('/plan must NOT have additional properties'),
  ]);

  const trigger = await call('POST', `${v}/triggers`, {
    body: { trigger_info: { name: 'every minute', type: 'time', properties: { format: 'crontab', pattern: '* * * * *', window: 50 } } },
  });
  const triggerId = trigger.body.trigger_info.id as string;
  await call('GET', `${v}/triggers`);
  await call('GET', `${v}/triggers/${triggerId}`);
  await call('PUT', `${v}/triggers/${triggerId}`, { body: { trigger_info: { name: 'each minute' } } });
  const op = await call('POST', `${v}/scheduled_operations`, {
    body: {
      scheduled_operation: {
        name: 'protect',
        operation_type: 'protect',
        trigger_id: triggerId,
        operation_definition: { provider_id: NOOP, plan_id: planId },
      },
    },
  });
  const opId = op.body.scheduled_operation.id as string;
  await call('POST', `${v}/scheduled_operations`, {
    body: { scheduled_operation: { name: 'x', operation_type: 'protect', trigger_id: UNKNOWN, operation_definition: { provider_id: NOOP, plan_id: planId } } },
  });
  await server.runtime.scheduler!.fireMinute(new Date(Math.ceil(Date.now() / 60000) * 60000));
  await waitFor(
    () => call('GET', `${v}/scheduled_operations/${opId}`),
    (r) => r.body.scheduled_operation.last_run?.status === 'success',
  );
  await call('GET', `${v}/scheduled_operations`);
  await call('DELETE', `${v}/triggers/${triggerId}`);

  const checkpoint = await call('POST', `${v}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: planId } } });
  const checkpointId = checkpoint.body.checkpoint.id as string;
  await waitFor(
    () => call('GET', `${v}/providers/${NOOP}/checkpoints/${checkpointId}`),
    (r) => r.body.checkpoint.status === 'available',
  );
  await call('GET', `${v}/providers/${NOOP}/checkpoints`);
  const copied = await call('POST', `${v}/providers/${NOOP}/checkpoints/action`, { body: { copy: { plan_id: planId } } });
  await waitFor(
    () => call('GET', `${v}/providers/${NOOP}/checkpoints/${copied.body.copy.checkpoint_id[0].checkpoint_copy_id}`),
    (r) => r.body.checkpoint.status === 'available',
  );
  const restore = await call('POST', `${v}/restores`, { body: { restore: { provider_id: NOOP, checkpoint_id: checkpointId, parameters: {} } } });
  await waitFor(
    () => call('GET', `${v}/restores/${restore.body.restore.id}`),
    (r) => r.body.restore.status !== 'in_progress',
  );
  await call('GET', `${v}/restores`);
  const verification = await call('POST', `${v}/verifications`, { body: { verification: { provider_id: NOOP, checkpoint_id: checkpointId } } });
  await waitFor(
    () => call('GET', `${v}/verifications/${verification.body.verification.id}`),
    (r) => r.body.verification.status !== 'in_progress',
  );
  await call('GET', `${v}/verifications`);
  await call('GET', `${v}/overview`);
  await call('GET', `${v}/destinations`);
  await call('GET', `${v}/destinations`, { token: `alice:${P}` });
  await call('POST', `${v}/catalog/import`, { body: { import: { bank: 'primary' } } });
  await call('POST', `${v}/catalog/import`, { body: { import: { bank: 'nowhere' } } });
  await call('POST', `${v}/catalog/import`, { body: { import: { bank: 'primary' } }, token: `alice:${P}` });
  await call('GET', `${v}/overview?all_tenants=1`);
  const report = await call('POST', `${v}/reports`, { body: { report: {} } });
  await call('POST', `${v}/reports`, { body: { report: { since: 'soon' } } });
  await call('POST', `${v}/reports`, { body: { report: { all_projects: true } }, token: `alice:${P}` });
  await call('GET', `${v}/reports/${report.body.report.id}`);
  await call('GET', `${v}/reports/${UNKNOWN}`);
  await call('GET', `${v}/reports?limit=1`);
  const logs = await call('GET', `${v}/operation_logs`);
  await call('GET', `${v}/operation_logs/${logs.body.operation_logs[0].id}`);

  await call('GET', `${v}/os-services`);
  await call('GET', `${v}/os-services`, { token: `alice:${P}` });
  await call('PUT', `${v}/os-services/2`, { body: { status: 'enabled' } });
  await call('GET', `${v}/quotas/${P}`);
  await call('GET', `${v}/quotas/${P}/detail`);
  await call('GET', `${v}/quotas/${P}/defaults`);
  await call('PUT', `${v}/quotas/${P}`, { body: { quota: { plans: 40 } } });
  await call('DELETE', `${v}/quotas/${P}`);
  await call('GET', `${v}/quota_classes/default`);
  await call('PUT', `${v}/quota_classes/schemas-class`, { body: { quota_class: { plans: 7 } } });

  await call('PUT', `${v}/providers/${NOOP}/checkpoints/${checkpointId}/lock`, { body: { lock: { mode: 'governance', until: '2099-01-01T00:00:00Z' } } });
  await call('DELETE', `${v}/providers/${NOOP}/checkpoints/${checkpointId}`);
  await call('PUT', `${v}/providers/${NOOP}/checkpoints/${checkpointId}/lock`, { body: { lock: null } });
  await call('PUT', `${v}/providers/${NOOP}/checkpoints/${checkpointId}`, { body: { 'os-resetState': { state: 'error' } } });
  await call('DELETE', `${v}/providers/${NOOP}/checkpoints/${checkpointId}`);
  await call('DELETE', `${v}/scheduled_operations/${opId}`);
  await call('DELETE', `${v}/triggers/${triggerId}`);
  await waitFor(
    () => call('DELETE', `${v}/plans/${planId}`),
    (r) => r.status === 200,
  );
  await call('DELETE', `${v}/plans/${second.body.plan.id}`);

  // Assess: every operation answered, each with its documented success status at least once.
  const operations = Object.values(DOC.paths).flatMap((item) => Object.values(item as Record<string, { operationId: string; responses: object }>));
  const missing = operations
    .filter((o) => {
      const success = Object.keys(o.responses).find((s) => /^[23]/.test(s));
      return !answered.get(o.operationId)?.has(Number(success));
    })
    .map((o) => o.operationId);
  expect(missing).toEqual([]);
  expect([...answered.values()].some((s) => [...s].some((status) => status >= 400))).toBe(true);
}, 120_000);

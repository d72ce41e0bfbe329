import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { complianceKey, EXPECTATION_PREFIX } from '../../shared/features/plans/transact';
import { testClients } from '../support/dynamo';
import { startTestServer, type TestServer } from '../support/local-server';
import { allowOneMinuteTriggers } from '../support/triggers';
import { waitFor } from '../support/wait';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'complyproj';

allowOneMinuteTriggers();
jest.setTimeout(120000);

/** The plan view's compliance extension over HTTP (docs/decisions.md §20). */
describe('plan compliance over HTTP', () => {
  let server: TestServer;
  const { doc } = testClients();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });
  const compliance = async (planId: string) => (await server.call('GET', `/v1/${P}/plans/${planId}`)).body.plan.compliance;

  it('shows unprotected, then compliant after a scheduled run, then late once the newest good checkpoint is two intervals old; lists carry it too', async () => {
    // Prepare: a started plan protected by an every-minute trigger with a 50 s window (expected interval 110 s)
    const plan = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'p', provider_id: NOOP, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }], parameters: {} } },
    });
    const planId = plan.body.plan.id as string;
    expect(plan.body.plan.compliance).toEqual({
      status: 'unprotected',
      last_good_checkpoint_at: null,
      expected_interval_seconds: null,
      late_since: null,
      last_verified_at: null,
    });
    expect((await server.call('PUT', `/v1/${P}/plans/${planId}`, { body: { plan: { status: 'started' } } })).status).toBe(200);
    const trigger = await server.call('POST', `/v1/${P}/triggers`, {
      body: { trigger_info: { name: 'every minute', type: 'time', properties: { format: 'crontab', pattern: '* * * * *', window: 50 } } },
    });
    const op = await server.call('POST', `/v1/${P}/scheduled_operations`, {
      body: {
        scheduled_operation: {
          name: 'protect',
          operation_type: 'protect',
          trigger_id: trigger.body.trigger_info.id,
          operation_definition: { provider_id: NOOP, plan_id: planId },
        },
      },
    });
    expect(op.status).toBe(200);
    const scheduled = await compliance(planId);
    // Act: one scheduled run (the local scheduler's minute, injected)
    await server.runtime.scheduler!.fireMinute(new Date(Math.ceil(Date.now() / 60000) * 60000));
    const protectedOnce = await waitFor(
      () => compliance(planId),
      (c) => c.status === 'compliant',
    );
    // The runs stop: the newest good checkpoint, and the schedule, are made five minutes old (two intervals are 220 s).
    const old = new Date(Date.now() - 300_000);
    await doc.send(
      new UpdateCommand({
        TableName: server.tableName,
        Key: complianceKey(planId),
        UpdateExpression: 'SET lastGoodAt = :t, #e.since = :t',
        ExpressionAttributeNames: { '#e': `${EXPECTATION_PREFIX}${op.body.scheduled_operation.id}` },
        ExpressionAttributeValues: { ':t': old.toISOString() },
      }),
    );
    const late = await compliance(planId);
    const listed = (await server.call('GET', `/v1/${P}/plans`)).body.plans.find((p: { id: string }) => p.id === planId);
    // Assess
    expect(scheduled).toEqual({
      status: 'unprotected',
      last_good_checkpoint_at: null,
      expected_interval_seconds: 110,
      late_since: null,
      last_verified_at: null,
    });
    expect(protectedOnce).toMatchObject({ status: 'compliant', expected_interval_seconds: 110, late_since: null, last_verified_at: null });
    expect(protectedOnce.last_good_checkpoint_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(late).toEqual({
      status: 'late',
      last_good_checkpoint_at: `${old.toISOString().slice(0, 23)}000`,
      expected_interval_seconds: 110,
      late_since: `${new Date(old.getTime() + 220_000).toISOString().slice(0, 23)}000`,
      last_verified_at: null,
    });
    // The extension keys come last (the karbor CLI prints the rest as Karbor would): compliance, then destinations (§25).
    expect(Object.keys(listed).slice(-2)).toEqual(['compliance', 'destinations']);
    expect(listed.compliance).toEqual(late);
  });
});

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { testClients } from '../support/dynamo';
import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'overviewproj';
const OTHER = 'overviewother';

jest.setTimeout(120000);

/** The overview extension (docs/decisions.md §23): counters written by the jobs' final transactions, read back over HTTP. */
describe('the overview over HTTP, from counters the jobs write', () => {
  let server: TestServer;
  const { doc } = testClients();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const plan = async (project: string, name: string) =>
    (
      await server.call('POST', `/v1/${project}/plans`, {
        body: { plan: { name, provider_id: NOOP, resources: [{ id: project, type: 'OS::Keystone::Project', name: project }], parameters: {} } },
      })
    ).body.plan.id as string;
  const checkpoint = async (project: string, planId: string) => {
    const made = await server.call('POST', `/v1/${project}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: planId } } });
    const id = made.body.checkpoint.id as string;
    const done = await waitFor(
      () => server.call('GET', `/v1/${project}/providers/${NOOP}/checkpoints/${id}`),
      (r) => r.body.checkpoint.status === 'available',
    );
    expect(done.body.checkpoint.status).toBe('available');
    return id;
  };
  const overview = async (project: string, query = '', token?: string) => server.call('GET', `/v1/${project}/overview${query}`, token ? { token } : {});

  it('is all zeros for a project without plans or jobs, with 30 days ending today', async () => {
    // Act
    const res = await overview('overviewempty', '', 'alice:overviewempty');
    // Assess
    expect(res.status).toBe(200);
    const o = res.body.overview;
    expect(o).toMatchObject({ plans: { compliant: 0, late: 0, unprotected: 0 }, jobs_running: 0, last_24h: { success: 0, error: 0 }, bank_bytes: null });
    expect(o.days).toHaveLength(30);
    expect(o.days.at(-1)).toEqual({
      date: new Date().toISOString().slice(0, 10),
      protect: { success: 0, error: 0 },
      copy: { success: 0, error: 0 },
      restore: { success: 0, error: 0 },
      verify: { success: 0, error: 0 },
      delete: { success: 0, error: 0 },
    });
    expect(o.days[0].date).toBe(new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10));
  });

  it('counts a protect, a restore, a verification and a delete run by the local jobs, the plans by compliance and the bank size', async () => {
    // Prepare: two plans, one protected twice; one checkpoint restored, verified and deleted; another project's protect.
    const protectedPlan = await plan(P, 'protected');
    await plan(P, 'never run');
    const first = await checkpoint(P, protectedPlan);
    const second = await checkpoint(P, protectedPlan);
    const afterProtects = (await overview(P)).body.overview;
    const restore = await server.call('POST', `/v1/${P}/restores`, {
      body: { restore: { provider_id: NOOP, checkpoint_id: first, restore_target: null, parameters: {} } },
    });
    await waitFor(
      () => server.call('GET', `/v1/${P}/restores/${restore.body.restore.id}`),
      (r) => r.body.restore.status === 'success',
    );
    const verification = await server.call('POST', `/v1/${P}/verifications`, { body: { verification: { provider_id: NOOP, checkpoint_id: second } } });
    await waitFor(
      () => server.call('GET', `/v1/${P}/verifications/${verification.body.verification.id}`),
      (r) => r.body.verification.status !== 'in_progress',
    );
    expect((await server.call('DELETE', `/v1/${P}/providers/${NOOP}/checkpoints/${first}`)).status).toBe(200);
    await waitFor(
      () => server.call('GET', `/v1/${P}/providers/${NOOP}/checkpoints/${first}`),
      (r) => r.status === 404 || r.body.checkpoint?.status === 'deleted',
    );
    await checkpoint(OTHER, await plan(OTHER, 'elsewhere'));

    // Act
    const res = await overview(P, '', `alice:${P}`);
    const all = await overview(P, '?all_tenants=1');
    const memberAsksAll = await overview(P, '?all_tenants=1', `alice:${P}`);
    const items = await doc.send(
      new QueryCommand({
        TableName: server.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :c)',
        ExpressionAttributeValues: { ':pk': `PROJECT#${P}`, ':c': 'JOB_COUNT#' },
      }),
    );

    // Assess: today's counters, the last 24 hours, the plans, and the bank grown by the protects and shrunk by the delete.
    expect(res.status).toBe(200);
    const o = res.body.overview;
    const today = o.days.at(-1);
    expect(today).toMatchObject({
      protect: { success: 2, error: 0 },
      restore: { success: 1, error: 0 },
      delete: { success: 1, error: 0 },
      copy: { success: 0, error: 0 },
    });
    expect(today.verify.success + today.verify.error).toBe(1);
    expect(o.last_24h.success + o.last_24h.error).toBe(5);
    expect(o.plans).toEqual({ compliant: 1, late: 0, unprotected: 1 });
    expect(o.jobs_running).toBe(0);
    expect(afterProtects.bank_bytes).toBeGreaterThan(0);
    expect(o.bank_bytes).toBeGreaterThan(0);
    expect(o.bank_bytes).toBeLessThan(afterProtects.bank_bytes);
    // Every project: this one's jobs and the other's protect; a member's all_tenants is ignored, as lists ignore it.
    expect(all.body.overview.days.at(-1).protect.success).toBeGreaterThanOrEqual(3);
    expect(all.body.overview.plans.compliant).toBeGreaterThanOrEqual(2);
    expect(memberAsksAll.body.overview.days.at(-1)).toEqual(today);
    // The counter items expire about 40 days after their day (the table's TTL attribute).
    const expiry = Number(items.Items?.[0]?.expiresAt) * 1000;
    expect(items.Items?.length).toBeGreaterThan(0);
    expect(expiry - Date.now()).toBeGreaterThan(38 * 86_400_000);
    expect(expiry - Date.now()).toBeLessThan(41 * 86_400_000);
  });

  it('refuses another project in the path than the token names, as every route does', async () => {
    // Act
    const res = await server.call('GET', `/v1/${OTHER}/overview`, { token: `alice:${P}` });
    // Assess
    expect(res.status).toBe(400);
  });
});

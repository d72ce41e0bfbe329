import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { INDEX_MAP, type IndexedEntity, type IndexName } from '../../../../shared/dynamo/table';
import { testClients } from '../../../support/dynamo';
import { startTestServer, type TestServer } from '../../../support/local-server';
import { waitFor } from '../../../support/wait';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'indexmap';

/**
 * INDEX_MAP says what each GSI holds per item type; the stores write the keys.
 * One item of every indexed type, made through the API, must carry exactly
 * the index entries the map names for its type.
 */
describe('INDEX_MAP', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Slow jobs, so that a running checkpoint and restore (on the sparse index of running jobs) can be read.
    process.env.KARBOR_NOOP_DELAY_MS = '1500';
    server = await startTestServer();
  });
  afterAll(async () => {
    delete process.env.KARBOR_NOOP_DELAY_MS;
    await server.stop();
  });

  it('names every index entry each item type writes, and only those', async () => {
    // Prepare: one item of each indexed type
    const plan = (
      await server.call('POST', `/v1/${P}/plans`, {
        body: { plan: { name: 'p', provider_id: NOOP, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }], parameters: {} } },
      })
    ).body.plan;
    const trigger = (
      await server.call('POST', `/v1/${P}/triggers`, {
        body: { trigger_info: { name: 't', type: 'time', properties: { format: 'crontab', pattern: '0 3 * * *' } } },
      })
    ).body.trigger_info;
    await server.call('POST', `/v1/${P}/scheduled_operations`, {
      body: {
        scheduled_operation: { name: 'o', operation_type: 'protect', trigger_id: trigger.id, operation_definition: { provider_id: NOOP, plan_id: plan.id } },
      },
    });
    const { doc } = testClients();
    const scan = async () => (await doc.send(new ScanCommand({ TableName: server.tableName }))).Items ?? [];
    const checkpoint = (await server.call('POST', `/v1/${P}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: plan.id } } })).body.checkpoint;
    const whileProtecting = await scan();
    await waitFor(
      async () => (await server.call('GET', `/v1/${P}/providers/${NOOP}/checkpoints/${checkpoint.id}`)).body.checkpoint.status,
      (s) => s === 'available',
    );
    const restore = (await server.call('POST', `/v1/${P}/restores`, { body: { restore: { provider_id: NOOP, checkpoint_id: checkpoint.id, parameters: {} } } }))
      .body.restore;
    const whileRestoring = await scan();
    // No job may outlive the test's server.
    await waitFor(
      async () => (await server.call('GET', `/v1/${P}/restores/${restore.id}`)).body.restore.status,
      (s) => s !== 'in_progress',
    );
    const verification = (await server.call('POST', `/v1/${P}/verifications`, { body: { verification: { provider_id: NOOP, checkpoint_id: checkpoint.id } } }))
      .body.verification;
    const whileVerifying = await scan();
    await waitFor(
      async () => (await server.call('GET', `/v1/${P}/verifications/${verification.id}`)).body.verification.status,
      (s) => s !== 'in_progress',
    );
    // Act: every item of the test's table (a Scan is fine in a test), also as it was while the jobs ran
    const items = [...(await scan()), ...whileProtecting, ...whileRestoring, ...whileVerifying];
    const written = new Map<string, Set<string>>();
    for (const item of items) {
      const indexes = Object.keys(item)
        .filter((k) => /^GSI\d+PK$/.test(k))
        .map((k) => k.slice(0, -2));
      if (indexes.length === 0) continue;
      const entity = String(item.entity);
      written.set(entity, new Set([...(written.get(entity) ?? []), ...indexes]));
    }
    // Assess
    const mapped = new Map<string, Set<string>>();
    for (const [index, entities] of Object.entries(INDEX_MAP) as [IndexName, Partial<Record<IndexedEntity, string>>][]) {
      for (const entity of Object.keys(entities)) mapped.set(entity, new Set([...(mapped.get(entity) ?? []), index]));
    }
    const sorted = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).sort());
    expect(sorted(written)).toEqual(sorted(mapped));
  });
});

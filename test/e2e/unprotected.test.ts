import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createSourceTable, testClients } from '../support/dynamo';
import { startTestServer, type TestServer } from '../support/local-server';

const AWS_PROVIDER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const TYPE = 'AWS::DynamoDB::Table';
const P = 'unprot';

describe('unprotected resources over HTTP (extension, docs/decisions.md)', () => {
  let server: TestServer;
  let table: string;
  const { client } = testClients();

  beforeAll(async () => {
    server = await startTestServer({ settings: { KARBOR_DISCOVERY: 'dynamodb' } });
    table = await createSourceTable('unprot-src');
  });
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    await server.stop();
  });

  /** Every unprotected table of the project, page after page (the shared DynamoDB Local holds other tests' tables). */
  const unprotected = async (project: string, limit = 200): Promise<string[]> => {
    const ids: string[] = [];
    let marker = '';
    for (;;) {
      const page = await server.call('GET', `/v1/${project}/protectables/${TYPE}/unprotected?limit=${limit}${marker}`);
      expect(page.status).toBe(200);
      const batch: string[] = page.body.instances.map((i: { id: string }) => i.id);
      ids.push(...batch);
      if (!page.body.instances_links) return ids;
      expect(page.body.instances_links).toEqual([{ rel: 'next', href: expect.stringContaining(`marker=${encodeURIComponent(batch.at(-1) ?? '')}`) }]);
      marker = `&marker=${encodeURIComponent(batch.at(-1) ?? '')}`;
    }
  };

  it('lists a new table no plan covers, and drops it once a plan of the project names it', async () => {
    // Prepare: another project's plan names the table
    const other = await server.call('POST', `/v1/${P}-other/plans`, {
      body: { plan: { name: 'theirs', provider_id: AWS_PROVIDER, parameters: {}, resources: [{ id: table, type: TYPE, name: table }] } },
    });
    expect(other.status).toBe(200);
    expect(await unprotected(P)).toContain(table);

    // Act
    const plan = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'ours', provider_id: AWS_PROVIDER, parameters: {}, resources: [{ id: table, type: TYPE, name: table }] } },
    });
    expect(plan.status).toBe(200);

    // Assess
    expect(await unprotected(P)).not.toContain(table);
    expect(await unprotected(`${P}-third`)).toContain(table);
  });

  it('pages with limit, marker and next links, through every unprotected table', async () => {
    const more = [await createSourceTable('unprot-page'), await createSourceTable('unprot-page')];
    try {
      const first = await server.call('GET', `/v1/${P}-paging/protectables/${TYPE}/unprotected?limit=1`);
      expect(first.body.instances).toEqual([{ id: expect.any(String), type: TYPE, name: expect.any(String), extra_info: null }]);
      const ids = await unprotected(`${P}-paging`, 2);
      expect(ids).toEqual(expect.arrayContaining([table, ...more]));
      expect(ids[0]).toBe(first.body.instances[0].id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await Promise.all(more.map((t) => client.send(new DeleteTableCommand({ TableName: t })).catch(() => undefined)));
    }
  });

  it('refuses an unknown type and a bad limit with Karbor’s 400', async () => {
    const unknown = await server.call('GET', `/v1/${P}/protectables/OS::Foo::Bar/unprotected`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ badRequest: { code: 400, message: 'Invalid input received: Invalid protectable type provided.' } });
    const limit = await server.call('GET', `/v1/${P}/protectables/${TYPE}/unprotected?limit=0`);
    expect(limit.status).toBe(400);
    expect(limit.body).toEqual({ badRequest: { code: 400, message: expect.any(String) } });
    const sort = await server.call('GET', `/v1/${P}/protectables/${TYPE}/unprotected?sort=id:sideways`);
    expect(sort.status).toBe(400);
    expect(sort.body).toEqual({ badRequest: { code: 400, message: expect.any(String) } });
  });

  it('still shows the protectable type itself (the literal segment does not shadow show)', async () => {
    const shown = await server.call('GET', `/v1/${P}/protectables/${TYPE}`);
    expect(shown.status).toBe(200);
    expect(shown.body.protectable_type.name).toBe(TYPE);
  });
});

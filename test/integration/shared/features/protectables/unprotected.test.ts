import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbTablesSource } from '../../../../../shared/features/protectables/adapters/dynamodb-tables';
import { emptySource, projectSource } from '../../../../../shared/features/protectables/sources';
import { PROTECTABLE_TYPES, type InstanceSources } from '../../../../../shared/features/protectables/model';
import { listUnprotectedInstances } from '../../../../../shared/features/protectables/use-cases';
import type { Plan } from '../../../../../shared/features/plans/model';
import { planStore } from '../../../../../shared/features/plans/store';
import { projectPlanReader } from '../../../../../shared/features/plans/use-cases';
import { InvalidInputError } from '../../../../../shared/kernel/errors';
import { createSourceTable, createTestTable, testClients } from '../../../../support/dynamo';

const AWS_PROVIDER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const TYPE = 'AWS::DynamoDB::Table';

let seq = 0;
const makePlan = (projectId: string, resources: Plan['resources']): Plan => {
  seq += 1;
  const t = `${new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString().slice(0, 23)}000`;
  return {
    id: randomUUID(),
    projectId,
    name: `plan ${seq}`,
    description: null,
    providerId: AWS_PROVIDER,
    status: 'suspended',
    resources,
    parameters: {},
    createdAt: t,
    updatedAt: t,
    version: 1,
  };
};

describe('unprotected resources on DynamoDB Local (real plan store, real table discovery)', () => {
  const { client, doc } = testClients();
  let own: string;
  let table: string;
  let other: string;
  let store: ReturnType<typeof planStore>;
  let sources: InstanceSources;
  const ports = () => ({ sources, plans: projectPlanReader(store) });
  /** Every unprotected table of a project (the shared DynamoDB Local holds other files' tables). */
  const all = async (projectId: string): Promise<string[]> => (await listUnprotectedInstances(ports(), projectId, TYPE, { limit: 10_000 })).map((i) => i.id);

  beforeAll(async () => {
    own = await createTestTable('unprot-own');
    table = await createSourceTable('unprot-int');
    other = await createSourceTable('unprot-int');
    store = planStore(doc, own);
    sources = Object.fromEntries(PROTECTABLE_TYPES.map((t) => [t, emptySource(t)]));
    sources['OS::Keystone::Project'] = projectSource;
    sources[TYPE] = dynamoDbTablesSource(client, { tagKey: 'karbor:project', scoping: 'none', ownTable: own });
  });
  afterAll(async () => {
    await Promise.all([table, other].map((t) => client.send(new DeleteTableCommand({ TableName: t })).catch(() => undefined)));
    client.destroy();
  });

  it('lists a new table no plan covers, never Karbor’s own table, and drops the table once a plan of the project names it', async () => {
    // Prepare
    expect(await all('p-int')).toEqual(expect.arrayContaining([table, other]));
    expect(await all('p-int')).not.toContain(own);
    // Act
    await store.create(makePlan('p-int', [{ id: table, type: TYPE, name: table }]), -1);
    // Assess
    const left = await all('p-int');
    expect(left).not.toContain(table);
    expect(left).toContain(other);
  });

  it('keeps listing a table another project’s plan covers', async () => {
    await store.create(makePlan('p-int-theirs', [{ id: other, type: TYPE, name: other }]), -1);
    expect(await all('p-int-mine')).toEqual(expect.arrayContaining([table, other]));
    expect(await all('p-int-theirs')).not.toContain(other);
    expect(await all('p-int-theirs')).toContain(table);
  });

  it('lists nothing once a plan names the project itself (its graph holds every resource)', async () => {
    await store.create(makePlan('p-int-whole', [{ id: 'p-int-whole', type: 'OS::Keystone::Project', name: 'whole' }]), -1);
    expect(await all('p-int-whole')).toEqual([]);
  });

  it('pages by id after the marker, with no table twice, and ends on an unknown marker', async () => {
    const everything = await all('p-int-paging');
    const paged: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await listUnprotectedInstances(ports(), 'p-int-paging', TYPE, { limit: 2, marker });
      paged.push(...page.map((i) => i.id));
      if (page.length < 2) break;
      marker = page.at(-1)?.id;
    }
    // Other test files make and drop tables in the shared DynamoDB Local meanwhile: the pages are in id order with
    // none twice, and hold every table of the full listing that both saw (this file's own tables at least).
    expect(paged).toEqual([...new Set(paged)].sort());
    const mine = everything.filter((t) => t.startsWith('unprot-int-'));
    expect(mine.length).toBeGreaterThan(0);
    expect(paged).toEqual(expect.arrayContaining(mine));
    expect(await listUnprotectedInstances(ports(), 'p-int-paging', TYPE, { limit: 2, marker: 'no-such-table' })).toEqual([]);
  });

  it('refuses an unknown type as bad input', async () => {
    await expect(listUnprotectedInstances(ports(), 'p-int', 'OS::Foo::Bar', { limit: 10 })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

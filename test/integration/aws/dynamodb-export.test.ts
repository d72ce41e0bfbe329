import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { dynamoDbExportPlugin } from '../../../shared/features/protection/adapters/plugins/dynamodb-export';
import { s3Bank } from '../../../shared/features/protection/adapters/s3-bank';
import { bankSection } from '../../../shared/features/protection/bank';
import { describeMoto, type Moto, startMoto, tagsOf } from '../../support/moto';
import { pluginContext } from '../../support/plugin-context';

const BUCKET = 'karbor-bank';
const ITEMS = 620; // two Scan pages of 500

const item = (n: number): Record<string, AttributeValue> => ({
  pk: { S: `o-${String(n).padStart(4, '0')}` },
  customer: { S: `c-${n % 7}` },
  blob: { B: Buffer.from([n % 256, 0, 255]) },
  lines: { L: [{ M: { sku: { S: 'a' }, qty: { N: String(n) } } }, { BS: [Buffer.from('x'), Buffer.from('y')] }] },
});

const sorted = (items: Record<string, AttributeValue>[]) => [...items].sort((a, b) => (a.pk.S! < b.pk.S! ? -1 : 1));

describeMoto('DynamoDB export plugin against moto_server (moto DynamoDB, S3 bank)', () => {
  let moto: Moto;
  let ddb: DynamoDBClient;
  let s3: S3Client;
  beforeAll(async () => {
    moto = await startMoto();
    ddb = new DynamoDBClient(moto.clientConfig);
    s3 = new S3Client(moto.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  });
  afterAll(async () => {
    ddb?.destroy();
    s3?.destroy();
    await moto?.stop();
  });

  const scanAll = async (table: string) => {
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return sorted(items);
  };

  it('exports every item into the S3 bank page by page and restores them into a new tagged table with the same keys and index', async () => {
    // Prepare
    await ddb.send(
      new CreateTableCommand({
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'customer', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'by-customer', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
        ],
      }),
    );
    const all = Array.from({ length: ITEMS }, (_, n) => item(n));
    for (let i = 0; i < all.length; i += 25) {
      await ddb.send(new BatchWriteItemCommand({ RequestItems: { orders: all.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const resource = { type: 'AWS::DynamoDB::Table', id: 'orders', name: 'orders', extraInfo: null };
    const plugin = dynamoDbExportPlugin(ddb, { projectTagKey: 'team' });
    const { ctx } = pluginContext({ restoreId: undefined });
    const bank = bankSection(s3Bank(s3, BUCKET), 'cp-1', 'T#orders');

    // Act: protect
    await plugin.protect({ ...ctx, bank }, resource);

    // Assess: the schema and two item pages are objects in the bank bucket
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'checkpoints/cp-1/' }))).Contents ?? []).map((o) => o.Key).sort();
    expect(keys).toEqual(['checkpoints/cp-1/T#orders/items-00000.json', 'checkpoints/cp-1/T#orders/items-00001.json', 'checkpoints/cp-1/T#orders/table.json']);
    expect(JSON.parse((await bank.get('table.json'))!)).toMatchObject({ table_name: 'orders', item_count: ITEMS, pages: 2 });

    // Act: restore
    const restored = await plugin.restore({ ...ctx, bank, restoreId: 'rrrrrrrr-1111' }, resource);

    // Assess: the new table has the keys, the index and every item, bytes included
    expect(restored).toEqual({ id: 'karbor-restore-orders-rrrrrrrr' });
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'karbor-restore-orders-rrrrrrrr' }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['by-customer']);
    expect(await scanAll('karbor-restore-orders-rrrrrrrr')).toEqual(await scanAll('orders'));
    const { Tags = [] } = await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn }));
    expect(tagsOf(Tags)).toEqual({
      team: 'p1',
      'karbor:checkpoint': 'cp-1',
      'karbor:resource': 'orders',
      'karbor:restore': 'rrrrrrrr-1111',
    });
  });
});

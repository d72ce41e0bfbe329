#!/usr/bin/env node
/*
 * The README walk-through's helper: makes, fills, reads or empties a table in
 * the DynamoDB Local that `npm start` runs: the port its data dir's
 * dynamodb-local.json names (KARBOR_DATA_DIR, default .karbor-data), or
 * DYNAMODB_LOCAL_PORT when set (an in-memory start has no data dir).
 *   node scripts/demo-table.js create orders 5   # a table with 5 items
 *   node scripts/demo-table.js scan orders       # its items, one per line
 *   node scripts/demo-table.js clear orders      # delete every item
 *   node scripts/demo-table.js drop orders       # delete the table
 * The DR side of the walk-through (docs/decisions.md §26) has its own:
 *   KARBOR_DATA_DIR=.karbor-data/dr node scripts/demo-table.js scan <table>
 */
// The SDK's notice about Node 20 would fill a demo's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { DynamoDBClient, CreateTableCommand, DeleteTableCommand, waitUntilTableExists } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand, ScanCommand, DeleteCommand } = require('@aws-sdk/lib-dynamodb');

const fs = require('node:fs');
const path = require('node:path');

const [command, table, count = '5'] = process.argv.slice(2);

/** The running server's DynamoDB Local port, as infra/local/dynamo-local.ts records it beside its data. */
const localPort = () => {
  if (process.env.DYNAMODB_LOCAL_PORT) return process.env.DYNAMODB_LOCAL_PORT;
  const dir = process.env.KARBOR_DATA_DIR || '.karbor-data';
  const candidates = [path.resolve(dir), path.resolve(__dirname, '..', dir)];
  for (const d of candidates) {
    try {
      return String(JSON.parse(fs.readFileSync(path.join(d, 'dynamodb-local.json'), 'utf8')).port);
    } catch {}
  }
  console.error(`no running npm start found (no ${path.join(dir, 'dynamodb-local.json')}): start it, or set DYNAMODB_LOCAL_PORT`);
  process.exit(2);
};
const port = localPort();
const client = new DynamoDBClient({
  endpoint: `http://127.0.0.1:${port}`,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const doc = DynamoDBDocumentClient.from(client);

const items = async () => (await doc.send(new ScanCommand({ TableName: table }))).Items ?? [];

const main = async () => {
  if (!table || !['create', 'scan', 'clear', 'drop'].includes(command)) {
    console.error('usage: node scripts/demo-table.js create|scan|clear|drop <table> [items]');
    process.exit(2);
  }
  if (command === 'create') {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: table });
    for (let i = 1; i <= Number(count); i += 1) {
      await doc.send(new PutCommand({ TableName: table, Item: { id: `order-${i}`, total: i * 10 } }));
    }
    console.log(`table ${table} with ${count} items`);
  } else if (command === 'scan') {
    const all = await items();
    for (const item of all.sort((a, b) => String(a.id).localeCompare(String(b.id)))) console.log(JSON.stringify(item));
    console.log(`${all.length} items`);
  } else if (command === 'drop') {
    await client.send(new DeleteTableCommand({ TableName: table }));
    console.log(`table ${table} deleted`);
  } else {
    const all = await items();
    for (const item of all) await doc.send(new DeleteCommand({ TableName: table, Key: { id: item.id } }));
    console.log(`deleted ${all.length} items from ${table}`);
  }
  client.destroy();
};

main().catch((error) => {
  console.error(`demo-table: ${error.message}`);
  process.exit(1);
});

/*
 * `node scripts/migrate-operation-index.js`: moves every scheduled operation
 * of the table named by TABLE_NAME (AWS credentials and region from the
 * environment, or DYNAMODB_ENDPOINT for DynamoDB Local) to one index entry
 * and binding items, printing how many it read and changed (docs/decisions.md §17).
 */
import { documentClient, tableName } from '../shared/dynamo/client';
import { migrateOperationIndex } from '../shared/features/scheduled-operations/migrate';

const table = tableName();
migrateOperationIndex(documentClient(), table).then(
  ({ operations, migrated }) => console.log(`${table}: ${operations} scheduled operation(s) of the old layout read, ${migrated} migrated.`),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);

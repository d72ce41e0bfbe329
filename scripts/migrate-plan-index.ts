/*
 * `node scripts/migrate-plan-index.js`: moves every plan of the table named by
 * TABLE_NAME (AWS credentials and region from the environment, or
 * DYNAMODB_ENDPOINT for DynamoDB Local) to the one-index layout, printing how
 * many it read and changed (docs/decisions.md §16).
 */
import { documentClient, tableName } from '../shared/dynamo/client';
import { migratePlanIndex } from '../shared/features/plans/migrate';

const table = tableName();
migratePlanIndex(documentClient(), table).then(
  ({ plans, migrated }) => console.log(`${table}: ${plans} live plan(s) read, ${migrated} migrated.`),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);

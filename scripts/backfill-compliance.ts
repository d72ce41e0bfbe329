/*
 * `node scripts/backfill-compliance.js`: gives the plans of the table named by
 * TABLE_NAME (AWS credentials and region from the environment, or
 * DYNAMODB_ENDPOINT for DynamoDB Local) the compliance fields of what was
 * made before them: each scheduled operation's expectation and each plan's
 * newest good checkpoint, printing how many it read and wrote
 * (docs/decisions.md §20). Idempotent; safe beside live traffic.
 */
import { documentClient, tableName } from '../shared/dynamo/client';
import { backfillCompliance } from '../shared/features/compliance/migrate';

const table = tableName();
backfillCompliance(documentClient(), table, new Date()).then(
  (r) =>
    console.log(
      `${table}: ${r.operations} scheduled operation(s) read, ${r.expectations} expectation(s) written; ${r.plans} plan(s) read, ${r.lastGood} last-good time(s) written.`,
    ),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);

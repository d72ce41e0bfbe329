import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SERVICE_IDS, type Service, type ServiceStore } from './model';

/**
 * Service rows (Karbor's `services` table). Access patterns:
 * - every row: Query PK=SERVICE (a handful of items)
 * - one row by binary (heartbeat, enable/disable): PK=SERVICE SK=<binary>#<host>
 * The integer id is fixed per binary (shared/features/services/model.ts).
 */
const SERVICE_ENTITY = 'service';
const SCHEMA_VERSION = 1;
const PK = 'SERVICE';
const serviceKey = (binary: string, host: string) => ({ PK, SK: `${binary}#${host}` });

/** The placeholders an expression uses (DynamoDB refuses unused ones). */
const namesFor = (expression: string) => Object.fromEntries(Object.entries(NAMES).filter(([k]) => new RegExp(`${k}\\b`).test(expression)));

type Item = Record<string, unknown>;

/** Every attribute by placeholder (several are DynamoDB reserved words). */
const NAMES = /* @__PURE__ */ Object.fromEntries(
  ['entity', 'schemaVersion', 'id', 'binary', 'host', 'createdAt', 'updatedAt', 'reportCount', 'disabled', 'disabledReason'].map((n) => [`#${n}`, n]),
);

const fromItem = (i: Item): Service => ({
  id: Number(i.id),
  binary: i.binary as string,
  host: i.host as string,
  disabled: i.disabled === true,
  disabledReason: (i.disabledReason ?? null) as string | null,
  reportCount: Number(i.reportCount ?? 0),
  updatedAt: (i.updatedAt ?? null) as string | null,
  createdAt: (i.createdAt ?? null) as string | null,
});

/** Row identity written by every update (an upsert: the row appears on first report). */
const identity = (binary: string, host: string, now: string) => ({
  expression: '#entity = :entity, #schemaVersion = :v, #id = :id, #binary = :binary, #host = :host, #createdAt = if_not_exists(#createdAt, :now)',
  values: { ':entity': SERVICE_ENTITY, ':v': SCHEMA_VERSION, ':id': SERVICE_IDS[binary] ?? 0, ':binary': binary, ':host': host, ':now': now },
});

export const dynamoServiceStore = (doc: DynamoDBDocumentClient, table: string): ServiceStore => ({
  async list() {
    const res = await doc.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': PK }, Limit: 100 }),
    );
    return (res.Items ?? []).map(fromItem);
  },
  async report(binary, host, now) {
    const id = identity(binary, host, now.toISOString());
    // ADD is atomic, so concurrent reports never lose a count.
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: serviceKey(binary, host),
        UpdateExpression: `SET ${id.expression}, #updatedAt = :now ADD #reportCount :one`,
        ExpressionAttributeNames: namesFor(`${id.expression} #updatedAt #reportCount`),
        ExpressionAttributeValues: { ...id.values, ':one': 1 },
      }),
    );
  },
  async setDisabled(binary, host, disabled, reason, now) {
    const id = identity(binary, host, now.toISOString());
    const res = await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: serviceKey(binary, host),
        UpdateExpression: `SET ${id.expression}, #disabled = :disabled, #disabledReason = :reason`,
        ExpressionAttributeNames: namesFor(`${id.expression} #disabled #disabledReason`),
        ExpressionAttributeValues: { ...id.values, ':disabled': disabled, ':reason': reason },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem(res.Attributes!);
  },
});

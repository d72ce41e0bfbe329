import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, QueryCommandOutput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Verification, VerificationQuery, VerificationStore } from '../domain/verifications';
import { operationLogPut } from './operation-logs';

/**
 * Verification items. Access patterns:
 * - by id (show, marker):                        GetItem PK=VERIFICATION#<id> SK=VERIFICATION
 * - a project's verifications by creation time:  Query GSI1 PK=VERIFICATION_PROJECT#<project> SK=<ISO time>#<id>
 * - every project's (admin all_tenants):          Query GSI2 PK=VERIFICATIONS SK=<ISO time>#<id>
 */
export const verificationKey = (id: string) => ({ PK: `VERIFICATION#${id}`, SK: 'VERIFICATION' });
const projectPK = (projectId: string) => `VERIFICATION_PROJECT#${projectId}`;
const ALL_PK = 'VERIFICATIONS';
const timeSK = (v: Pick<Verification, 'createdAt' | 'id'>) => `${v.createdAt}#${v.id}`;
const FILTER_ATTRS: Record<string, string> = { status: 'status', id: 'id', project_id: 'projectId', provider_id: 'providerId', checkpoint_id: 'checkpointId' };
const PAGE = 100;

const fromItem = (item: Record<string, unknown>): Verification => {
  const { PK, SK, entity, schemaVersion, GSI1PK, GSI1SK, GSI2PK, GSI2SK, ...rest } = item;
  void PK; void SK; void entity; void schemaVersion; void GSI1PK; void GSI1SK; void GSI2PK; void GSI2SK;
  return rest as unknown as Verification;
};

export const dynamoVerificationStore = (doc: DynamoDBDocumentClient, table: () => string): VerificationStore => ({
  async create(v, log) {
    const put = {
      TableName: table(),
      Item: { ...verificationKey(v.id), entity: 'verification', schemaVersion: 1, ...v, GSI1PK: projectPK(v.projectId), GSI1SK: timeSK(v), GSI2PK: ALL_PK, GSI2SK: timeSK(v) },
      // A fresh id never overwrites an existing verification.
      ConditionExpression: 'attribute_not_exists(PK)',
    };
    if (!log) await doc.send(new PutCommand(put));
    // The verification and its operation log exist together or not at all.
    else await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, operationLogPut(table(), log)] }));
  },
  async get(id) {
    const { Item } = await doc.send(new GetCommand({ TableName: table(), Key: verificationKey(id) }));
    return Item ? fromItem(Item) : undefined;
  },
  async list(q: VerificationQuery) {
    const index = q.projectId === undefined ? 'GSI2' : 'GSI1';
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': q.projectId === undefined ? ALL_PK : projectPK(q.projectId) };
    const filters: string[] = [];
    Object.entries(q.filters).forEach(([key, options], i) => {
      const attr = FILTER_ATTRS[key];
      if (!attr) return;
      names[`#f${i}`] = attr;
      filters.push(`#f${i} IN (${options.map((v, j) => { values[`:f${i}_${j}`] = v; return `:f${i}_${j}`; }).join(', ')})`);
    });
    let condition = `${index}PK = :pk`;
    if (q.after) {
      values[':marker'] = timeSK(q.after);
      condition += ` AND ${index}SK ${q.dir === 'asc' ? '>' : '<'} :marker`;
    }
    const out: Verification[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page: QueryCommandOutput = await doc.send(
        new QueryCommand({
          TableName: table(),
          IndexName: index,
          KeyConditionExpression: condition,
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: q.dir === 'asc',
          Limit: filters.length > 0 ? PAGE : q.limit - out.length,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).map(fromItem));
      start = page.LastEvaluatedKey;
    } while (start && out.length < q.limit);
    return out.slice(0, q.limit);
  },
});

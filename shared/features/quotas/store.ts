import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_QUOTA_CLASS, QUOTA_RESOURCES, type QuotaOverrides, type QuotaStore, type QuotaUsage } from './model';
import { QUOTA_USAGE_PREFIX } from './transact';

/**
 * Quota overrides of a project (Karbor's `quotas` rows) and quota classes
 * (`quota_classes` rows): one item per project or class, one number
 * attribute per resource it sets (`plans`, `checkpoints`), so reading every
 * value of a target is one GetItem and a PUT is one UpdateItem.
 *
 * Access patterns:
 * - a project's overrides (show, detail, PUT, DELETE, and every plan or
 *   checkpoint create): GetItem PK=PROJECT#<p> SK=QUOTA. Same partition as
 *   the project's usage counters (shared/features/quotas/transact.ts, SK=QUOTA_USAGE#<r>).
 * - a class's values (class show/PUT; the `default` class on every limit lookup):
 *   GetItem PK=QUOTA_CLASS#<name> SK=QUOTA_CLASS.
 * - a project's usage counters (detail): Query PK=PROJECT#<p> SK begins_with QUOTA_USAGE#.
 * Effective limits read the target's item and the default class's item in
 * parallel, strongly consistent, so a limit changed a moment ago applies.
 *
 * Attributes: `project_id` or `class_name`, `plans`, `checkpoints` (each optional).
 * Project ids and class names are stored unchanged (at most 255 characters,
 * checked by the domain, so a key stays far below DynamoDB's 2048 bytes).
 */
const QUOTA_ENTITY = 'quota';
const QUOTA_CLASS_ENTITY = 'quota-class';
const SCHEMA_VERSION = 1;

export const projectQuotaKey = (projectId: string) => ({ PK: `PROJECT#${projectId}`, SK: 'QUOTA' });
export const quotaClassKey = (className: string) => ({ PK: `QUOTA_CLASS#${className}`, SK: 'QUOTA_CLASS' });

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };

const overridesOf = (item: Item | undefined): QuotaOverrides => {
  const values: QuotaOverrides = {};
  for (const r of QUOTA_RESOURCES) if (typeof item?.[r] === 'number') values[r] = item[r] as number;
  return values;
};

export const dynamoQuotaStore = (doc: DynamoDBDocumentClient, table: string): QuotaStore => {
  const read = async (key: Key): Promise<QuotaOverrides> =>
    overridesOf((await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item);

  const withDefaults = async (key: Key) => {
    const defaultsKey = quotaClassKey(DEFAULT_QUOTA_CLASS);
    const [own, defaults] = await Promise.all([read(key), key.PK === defaultsKey.PK ? undefined : read(defaultsKey)]);
    return { own, defaults: defaults ?? own };
  };

  /** An upsert of the given resources only; the item's identity attributes are written each time. */
  const write = async (key: Key, identity: Item, entity: string, values: QuotaOverrides) => {
    const resources = QUOTA_RESOURCES.filter((r) => values[r] !== undefined);
    const sets = ['#entity = :entity', '#schemaVersion = :sv', ...Object.keys(identity).map((a) => `#${a} = :${a}`), ...resources.map((r) => `#${r} = :${r}`)];
    const names = ['entity', 'schemaVersion', ...Object.keys(identity), ...resources];
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n) => [`#${n}`, n])),
        ExpressionAttributeValues: {
          ':entity': entity,
          ':sv': SCHEMA_VERSION,
          ...Object.fromEntries(Object.entries(identity).map(([a, v]) => [`:${a}`, v])),
          ...Object.fromEntries(resources.map((r) => [`:${r}`, values[r]])),
        },
      }),
    );
  };

  return {
    projectLimits: (projectId) => withDefaults(projectQuotaKey(projectId)),
    classLimits: (className) => withDefaults(quotaClassKey(className)),
    async usage(projectId): Promise<QuotaUsage> {
      // Two counters at most: one page.
      const res = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': projectQuotaKey(projectId).PK, ':prefix': QUOTA_USAGE_PREFIX },
          ConsistentRead: true,
        }),
      );
      const usage: QuotaUsage = {};
      for (const item of res.Items ?? []) {
        const resource = QUOTA_RESOURCES.find((r) => r === item.resource);
        if (resource) usage[resource] = Number(item.in_use ?? 0);
      }
      return usage;
    },
    setProjectLimits: (projectId, values) => write(projectQuotaKey(projectId), { project_id: projectId }, QUOTA_ENTITY, values),
    // Only the overrides item: the usage counters (SK=QUOTA_USAGE#...) stay, see deleteQuota.
    async removeProjectLimits(projectId) {
      await doc.send(new DeleteCommand({ TableName: table, Key: projectQuotaKey(projectId) }));
    },
    setClassLimits: (className, values) => write(quotaClassKey(className), { class_name: className }, QUOTA_CLASS_ENTITY, values),
  };
};

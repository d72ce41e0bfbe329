import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_ITEM_BYTES, storedSize } from '../../dynamo/item-size';
import { anyOf, projectDigest, projectTimeList, readCapped, readPlace, sortedPage } from '../../dynamo/time-list';
import { ConflictError, InvalidInputError, NotFoundError, QuotaExceededError, TooLargeError } from '../../kernel/errors';
import {
  type ComplianceFleet,
  type ComplianceRecord,
  EMPTY_COMPLIANCE,
  type Plan,
  PlanChangedError,
  type PlanPage,
  type PlanQuery,
  type PlanStore,
  type ScheduleExpectation,
} from './model';
import { quotaUsageUpdate } from '../quotas/transact';
import { retryOnConflict } from '../../dynamo/retry';
// Plans and scheduled operations meet in one write each way: a plan's delete releases its binding only while
// no operation is bound (scheduled-operations/transact.ts), and an operation's create checks the plan (./transact.ts).
import { bindingRelease, boundIds } from '../scheduled-operations/transact';
import { batchGetItems } from '../../dynamo/batch-get';
import { COMPLIANCE_ENTITY, complianceKey, EXPECTATION_PREFIX, planKey } from './transact';

/**
 * Plan items: Karbor's `plans` table, with its `resources` rows embedded.
 *
 * Why embedded: every read of a plan (show, list, the checkpoint and
 * scheduler lookups) needs all its resources, an update replaces the whole
 * list at once, and one item makes create, update and delete single
 * conditional writes. The price is DynamoDB's 400 KB item limit, checked
 * before every write (413). Each embedded resource keeps the seed's columns
 * (resource_id, resource_type, resource_name, extra_info as JSON text); the
 * seed's plan_id and autoincrement id are the owning item and the list position.
 * `parameters` is JSON text as in the seed (DynamoDB maps would lose key order).
 *
 * Access patterns (one index entry per plan: a plan write costs the item, one
 * GSI1 entry and, in a transaction, twice that; docs/decisions.md §16):
 * - by id (show/update/delete, markers, PlanLookup): GetItem PK=PLAN#<id> SK=PLAN.
 *   By id alone, because an admin reaches any project's plan by id (docs/contract.md §2.1).
 * - every plan: Query GSI1 PK=PLANS, SK=<project digest>#<created_at>#<id>; a
 *   project's plans are one SK range of it (`projectDigest`: a fixed-width
 *   digest, so no project's range holds another's and any project id fits).
 * - a project's plans by created_at (the default sort): that range, in index
 *   order (ScanIndexForward = asc), from the marker's position: flat at any size.
 * - every other order (updated_at, name, status, id; and all_tenants, whose
 *   plans lie in the partition by project): the range or the whole partition
 *   is read, at most SORT_CAP plans, and sorted here by the same values the
 *   old per-order indexes held (UTF-8 byte order, created_at then id breaking
 *   ties in the same direction, as Karbor's paginate_query). More than
 *   SORT_CAP plans to sort is a 400 naming what still works (created_at in
 *   one project; all_tenants narrowed with one project_id).
 * - One partition key for all plans is a hot key only above ~1000 plan
 *   writes/s or ~3000 list reads/s of one partition (DynamoDB splits a hot
 *   partition by sort-key range); plans are written rarely (quota 50 per project).
 * Multi-key sorts: the first key decides; further keys are not honoured
 * (created_at and id always break ties, as Karbor appends them).
 * Filters: status and project_id are FilterExpressions, name/description
 * regexes run here; a filtered created_at page reads on until it is full, at
 * most READ_BUDGET items beyond offset + limit, then links to where it stopped.
 *
 * Deleted plans stay as tombstones (`deleted`, `deleted_at`, `expiresAt` for
 * TTL) without index keys, so no list returns them and `get` ignores them.
 *
 * The scheduled operations that use a plan are on its binding item
 * (shared/features/scheduled-operations/transact.ts), which a plan delete
 * removes only while empty. `scheduledOperationIds` (string set) on the plan
 * item is where operations of schemaVersion 1 are bound (`planUsageUpdate`
 * releases them); plan delete is conditional on it being absent too, and
 * plan updates SET only their own attributes.
 */
const PLAN_ENTITY = 'plan';
const SCHEMA_VERSION = 1;

const ALL_PK = 'PLANS';
/** Most plans a list in an order no index holds reads and sorts (docs/decisions.md §16). */
export const SORT_CAP = 1000;
/**
 * Every plan on one partition, a project's as one range of it, by created_at.
 * All other orders and all_tenants read the range or partition (bounded) and
 * sort in `list` below; `all` is never paged in time order.
 */
const ALL_PLACE = { index: 'GSI1', pk: ALL_PK } as const;
// Pure: a bundle that imports this module only for a factory it never calls drops the listing too.
const listing = /* @__PURE__ */ projectTimeList({
  key: planKey,
  map: (item) => fromPlanItem(item),
  position: (plan: Plan) => ({ time: plan.createdAt, id: plan.id }),
  project: (projectId) => ({ ...ALL_PLACE, prefix: projectDigest(projectId) }),
  all: {
    sorted: ALL_PLACE,
    cap: SORT_CAP,
    tooMany: `More than ${SORT_CAP} plans to sort across projects; list one project's plans (project_id filter) instead.`,
  },
});

/** The one index entry of a plan. */
export const planIndexKeys = (plan: Pick<Plan, 'projectId' | 'createdAt' | 'id'>) => listing.indexKeys(plan.projectId, { time: plan.createdAt, id: plan.id });
const INDEX_ATTRIBUTES = /* @__PURE__ */ Object.keys(planIndexKeys({ projectId: '', createdAt: '', id: '' }));
/** The other index keys plans carried when each order had its own index (GSI2..GSI10); scripts/migrate-plan-index.js removes them. */
export const LEGACY_INDEX_ATTRIBUTES = /* @__PURE__ */ Array.from({ length: 9 }, (_, i) => [`GSI${i + 2}PK`, `GSI${i + 2}SK`]).flat();

/** DynamoDB's item limit is 400 KB; keep room for scheduledOperationIds and estimate slack. */
const MAX_PLAN_ITEM_BYTES = MAX_ITEM_BYTES - 16 * 1024;
/** Tombstones expire after this many days (TTL). */
const TOMBSTONE_DAYS = 30;
/** Items a filtered list may read beyond offset + limit before it answers with what it has. */
const READ_BUDGET = 2000;
/** A GSI sort key holds at most 1024 bytes: room for the name part. */
const MAX_NAME_KEY_BYTES = 900;

type Item = Record<string, unknown>;
type SortKey = 'created_at' | 'updated_at' | 'name' | 'status' | 'id';

/**
 * Order-preserving, prefix-safe encoding of a name for a sort key: code points
 * below 0x03 are escaped as 0x02 + (c + 2), then 0x01 ends the name, so "a"
 * sorts before "a b" and "a#" exactly as the names compare.
 */
export const nameSortKey = (name: string): string => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape exists for exactly these characters.
  const escaped = name.replace(/[\u0000-\u0002]/g, (c) => `\u0002${String.fromCharCode(c.charCodeAt(0) + 2)}`);
  let bytes = 0;
  let cut = '';
  for (const ch of escaped) {
    bytes += Buffer.byteLength(ch, 'utf8');
    if (bytes > MAX_NAME_KEY_BYTES) break;
    cut += ch;
  }
  return cut;
};

const sortValue = (plan: Plan, key: SortKey): string => {
  const tie = `${plan.createdAt}#${plan.id}`;
  switch (key) {
    case 'created_at':
      return tie;
    case 'updated_at':
      return `${plan.updatedAt}#${tie}`;
    case 'name':
      return `${nameSortKey(plan.name)}\u0001${tie}`;
    case 'status':
      return `${plan.status}#${tie}`;
    case 'id':
      return plan.id;
  }
};

/** The stored item of a plan (keys, index keys and the seed's columns); seeding tools write it as is. */
export const toPlanItem = (plan: Plan): Item => ({
  ...planKey(plan.id),
  ...planIndexKeys(plan),
  entity: PLAN_ENTITY,
  schemaVersion: SCHEMA_VERSION,
  id: plan.id,
  name: plan.name,
  description: plan.description,
  provider_id: plan.providerId,
  project_id: plan.projectId,
  status: plan.status,
  parameters: JSON.stringify(plan.parameters),
  // Extension (docs/decisions.md §25); an item written before it has none.
  destinations: plan.destinations ?? [],
  resources: plan.resources.map((r) => ({
    resource_id: r.id,
    resource_type: r.type,
    resource_name: r.name,
    extra_info: r.extra_info === undefined ? null : JSON.stringify(r.extra_info),
  })),
  created_at: plan.createdAt,
  updated_at: plan.updatedAt,
  deleted_at: null,
  deleted: false,
  version: plan.version,
});

const fromPlanItem = (item: Item): Plan => ({
  id: item.id as string,
  projectId: item.project_id as string,
  name: item.name as string,
  description: (item.description ?? null) as string | null,
  providerId: item.provider_id as string,
  status: item.status as Plan['status'],
  resources: ((item.resources ?? []) as Item[]).map((r) => ({
    id: r.resource_id as string,
    type: r.resource_type as string,
    name: r.resource_name as string,
    ...(typeof r.extra_info === 'string' ? { extra_info: JSON.parse(r.extra_info) as Record<string, unknown> } : {}),
  })),
  parameters: JSON.parse((item.parameters as string | undefined) ?? '{}'),
  // None reads as absent, as on an item written before the field.
  ...((item.destinations as string[] | undefined)?.length ? { destinations: item.destinations as string[] } : {}),
  createdAt: item.created_at as string,
  updatedAt: item.updated_at as string,
  version: Number(item.version ?? 1),
});

const checkSize = (item: Item) => {
  const size = storedSize(item);
  if (size > MAX_PLAN_ITEM_BYTES) {
    throw new TooLargeError(
      `The plan is too large to store: about ${size} bytes, the limit is ${MAX_PLAN_ITEM_BYTES} (DynamoDB's 400 KB item limit). Use fewer or smaller resources.`,
    );
  }
};

const tombstoneExpiry = (deletedAt: string): number => Math.floor(Date.parse(`${deletedAt.slice(0, 23)}Z`) / 1000) + TOMBSTONE_DAYS * 86400;

const reasonsOf = (error: unknown) => (error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : undefined);

const idFromPk = (pk: unknown): string => String(pk).replace(/^PLAN#/, '');

/** The plan store on the single table (other features read plans through ./deps.ts planLookups). */
export const planStore = (doc: DynamoDBDocumentClient, table: string, opts: { readBudget?: number; sortCap?: number } = {}): PlanStore => {
  const readBudget = opts.readBudget ?? READ_BUDGET;
  const sortCap = opts.sortCap ?? SORT_CAP;
  const get = async (id: string): Promise<Plan | undefined> => {
    const res = await doc.send(new GetCommand({ TableName: table, Key: planKey(id), ConsistentRead: true }));
    return res.Item && res.Item.deleted !== true && res.Item.entity === PLAN_ENTITY ? fromPlanItem(res.Item) : undefined;
  };

  const create: PlanStore['create'] = async (plan, quotaLimit) => {
    const item = toPlanItem(plan);
    checkSize(item);
    try {
      await retryOnConflict(() =>
        doc.send(
          new TransactWriteCommand({
            TransactItems: [
              // A fresh uuid never collides; the condition keeps a retried request from overwriting.
              { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
              quotaUsageUpdate(table, plan.projectId, 'plans', 1, quotaLimit),
            ],
          }),
        ),
      );
    } catch (error) {
      const reasons = reasonsOf(error);
      if (reasons?.[1]?.Code === 'ConditionalCheckFailed') {
        throw new QuotaExceededError(`Maximum number of plans allowed (${quotaLimit}) exceeded`);
      }
      if (reasons?.some((r) => r.Code === 'TransactionConflict')) {
        throw new ConflictError('Another request changed this project’s plans at the same time; retry.');
      }
      throw error;
    }
  };

  const update: PlanStore['update'] = async (next, expectedVersion) => {
    const item = toPlanItem(next);
    checkSize(item);
    const changed = ['name', 'description', 'status', 'resources', 'destinations', 'updated_at', 'version'];
    // The index keys are set again (unchanged on a current item, so its one entry is rewritten as any
    // update rewrites it) and a pre-migration item's older ones removed: an update also migrates its plan.
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':expected': expectedVersion, ':false': false };
    const sets = [...changed, ...INDEX_ATTRIBUTES].map((attr) => {
      names[`#${attr}`] = attr;
      values[`:${attr}`] = item[attr];
      return `#${attr} = :${attr}`;
    });
    try {
      const res = await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: planKey(next.id),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${LEGACY_INDEX_ATTRIBUTES.join(', ')}`,
          // The version read by the use case must still be current (no lost update), and the plan live.
          ConditionExpression: 'version = :expected AND deleted = :false',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return fromPlanItem(res.Attributes as Item);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // ALL_OLD comes back in the wire format ({BOOL: ...}), not unmarshalled.
        const old = error.Item as Record<string, { BOOL?: boolean }> | undefined;
        if (old?.deleted?.BOOL !== false) throw new NotFoundError(`Plan ${next.id} could not be found.`);
        throw new PlanChangedError(`Plan ${next.id} was changed by another request at the same time; retry.`);
      }
      throw error;
    }
  };

  const remove: PlanStore['remove'] = async (plan, deletedAt) => {
    try {
      await retryOnConflict(() =>
        doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: planKey(plan.id),
                  UpdateExpression: `SET deleted = :true, deleted_at = :at, updated_at = :at, expiresAt = :ttl REMOVE ${[...INDEX_ATTRIBUTES, ...LEGACY_INDEX_ATTRIBUTES].join(', ')}`,
                  // Live, still the project we counted it in, and no scheduled operation uses it (docs/decisions.md §13).
                  ConditionExpression: 'attribute_exists(PK) AND deleted = :false AND project_id = :project AND attribute_not_exists(scheduledOperationIds)',
                  ExpressionAttributeValues: {
                    ':true': true,
                    ':false': false,
                    ':at': deletedAt,
                    ':ttl': tombstoneExpiry(deletedAt),
                    ':project': plan.projectId,
                  },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              quotaUsageUpdate(table, plan.projectId, 'plans', -1),
              // The scheduled operations that use it (scheduled-operations/transact.ts).
              bindingRelease(table, 'PLAN', plan.id),
              // Its compliance item (docs/decisions.md §20), if any.
              { Delete: { TableName: table, Key: complianceKey(plan.id) } },
            ],
          }),
        ),
      );
    } catch (error) {
      const reasons = reasonsOf(error);
      const inUse = (users: string[]) => new ConflictError(`Plan ${plan.id} is used by scheduled operation(s) ${users.join(', ')}; delete them first.`);
      const reason = reasons?.[0];
      if (reason?.Code === 'ConditionalCheckFailed') {
        const old = reason.Item as Record<string, { SS?: string[]; BOOL?: boolean }> | undefined;
        // Operations bound before the binding items existed (schemaVersion 1).
        const users = boundIds(old, 'scheduledOperationIds');
        if (old && old.deleted?.BOOL === false && users.length > 0) throw inUse(users);
        throw new NotFoundError(`Plan ${plan.id} could not be found.`);
      }
      if (reasons?.[2]?.Code === 'ConditionalCheckFailed') throw inUse(boundIds(reasons[2].Item as Record<string, { SS?: string[] }>));
      if (reasons?.some((r) => r.Code === 'TransactionConflict')) {
        throw new ConflictError(`Plan ${plan.id} is being changed by another request; retry.`);
      }
      throw error;
    }
  };

  const list: PlanStore['list'] = async (q: PlanQuery): Promise<PlanPage> => {
    const key = q.sort.key as SortKey;
    const projectId = q.scope.kind === 'project' ? q.scope.projectId : undefined;
    const place = projectId === undefined ? ALL_PLACE : listing.layout.project(projectId);
    const filter = anyOf([
      ...(q.status ? [['status', q.status] as [string, string[]]] : []),
      ...(q.projectIds ? [['project_id', q.projectIds] as [string, string[]]] : []),
    ]);
    const inCode = (plan: Plan) => (!q.name || q.name(plan.name)) && (!q.description || (plan.description !== null && q.description(plan.description)));
    const keep = q.name !== undefined || q.description !== undefined ? inCode : undefined;

    if (projectId !== undefined && key === 'created_at') {
      // From the marker's position in this project's range (an admin's marker may be another project's plan).
      const page = await readPlace(doc, table, listing.layout, place, {
        ascending: q.sort.dir === 'asc',
        after: q.after,
        limit: q.limit,
        offset: q.offset,
        filter,
        keep,
        budget: q.offset + q.limit + readBudget,
      });
      return page.stoppedAt ? { items: page.items, resumeAfter: idFromPk(page.stoppedAt.PK as string) } : { items: page.items };
    }

    // No index holds this order: read the range (bounded), sort as the old per-order indexes did.
    const all = await readCapped(doc, table, listing.layout, place, sortCap, { filter, keep });
    if (all === undefined) {
      throw new InvalidInputError(
        projectId === undefined
          ? `More than ${sortCap} plans to sort across projects; list one project's plans (project_id filter) instead.`
          : `More than ${sortCap} plans to sort by ${key}; sort by created_at, which serves a project's plans at any size.`,
      );
    }
    return { items: sortedPage(all, (plan) => sortValue(plan, key), q.sort.dir === 'asc', { after: q.after, offset: q.offset, limit: q.limit }) };
  };

  const compliance: PlanStore['compliance'] = async (ids) =>
    new Map(await batchGetItems(doc, table, [...new Set(ids)].map(complianceKey), (item) => [idFromPk(item.PK), fromComplianceItem(item)] as const));

  return { create, get, update, remove, list, compliance };
};

/** A compliance item's record (plans/transact.ts complianceKey); attributes it lacks read as empty. */
export const fromComplianceItem = (item: Item): ComplianceRecord => ({
  expectations: Object.entries(item)
    .filter(([k]) => k.startsWith(EXPECTATION_PREFIX))
    .map(([, v]) => v as ScheduleExpectation)
    .sort((a, b) => a.operationId.localeCompare(b.operationId)),
  lastGoodAt: (item.lastGoodAt as string | undefined) ?? null,
  lastGoodCheckpointId: (item.lastGoodCheckpointId as string | undefined) ?? null,
  // Only on plans that had a successful drill (docs/decisions.md §24).
  ...(item.lastVerifiedAt === undefined
    ? {}
    : { lastVerifiedAt: item.lastVerifiedAt as string, lastVerifiedCheckpointId: (item.lastVerifiedCheckpointId as string | undefined) ?? null }),
  evaluated: (item.evaluated as ComplianceRecord['evaluated'] | undefined) ?? null,
});

/** Plans read per page by the compliance evaluator (one Query page, one BatchGetItem of their compliance items). */
const FLEET_PAGE = 100;

/**
 * The compliance evaluator's reads and its one write (docs/decisions.md §20):
 * - every live plan: Query GSI1 PK=PLANS (the plan index; tombstones have no
 *   entry), FLEET_PAGE a page, never a Scan of the table;
 * - their compliance items: one BatchGetItem per page;
 * - the verdict: UpdateItem of the compliance item's `evaluated`,
 *   conditional on the verdict read, so one of two racing evaluators wins.
 */
export const complianceFleetStore = (doc: DynamoDBDocumentClient, table: string): ComplianceFleet => ({
  async *pages() {
    let after: Item | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: ALL_PLACE.index,
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': ALL_PK },
          Limit: FLEET_PAGE,
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      after = page.LastEvaluatedKey;
      const plans = (page.Items ?? []).filter((i) => i.entity === PLAN_ENTITY && i.deleted !== true).map(fromPlanItem);
      if (plans.length === 0) continue;
      const records = new Map(
        await batchGetItems(
          doc,
          table,
          plans.map((p) => complianceKey(p.id)),
          (item) => [idFromPk(item.PK), fromComplianceItem(item)] as const,
        ),
      );
      yield plans.map((plan) => ({ plan, record: records.get(plan.id) ?? EMPTY_COMPLIANCE }));
    } while (after);
  },
  async markEvaluated(planId, seen, next) {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: complianceKey(planId),
          UpdateExpression: 'SET evaluated = :next, entity = :entity, schemaVersion = if_not_exists(schemaVersion, :v)',
          // The verdict changes once per transition: a racing evaluator that read the same verdict loses here and sends no event.
          ConditionExpression: seen === null ? 'attribute_not_exists(evaluated)' : 'evaluated.late = :late AND evaluated.#at = :at',
          ...(seen === null ? {} : { ExpressionAttributeNames: { '#at': 'at' } }),
          ExpressionAttributeValues: { ':next': next, ':entity': COMPLIANCE_ENTITY, ':v': 1, ...(seen === null ? {} : { ':late': seen.late, ':at': seen.at }) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
});

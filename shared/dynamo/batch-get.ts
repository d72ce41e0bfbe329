import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/** Most keys one BatchGetItem takes. */
const MAX_KEYS = 100;
/** Rounds of UnprocessedKeys retried before giving up (DynamoDB returns some under throttling). */
const MAX_ROUNDS = 8;

/**
 * The items of `keys` (strongly consistent), in the order of `keys`; keys
 * with no item are left out. BatchGetItem in chunks of 100, retrying what
 * DynamoDB leaves unprocessed with a short backoff.
 */
export const batchGetItems = async <T>(doc: DynamoDBDocumentClient, table: string, keys: Item[], map: (item: Item) => T): Promise<T[]> => {
  const found = new Map<string, Item>();
  const id = (k: Item) => `${k.PK}\u0000${k.SK}`;
  for (let at = 0; at < keys.length; at += MAX_KEYS) {
    let pending: Item[] = keys.slice(at, at + MAX_KEYS);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === MAX_ROUNDS) throw new Error(`BatchGetItem left ${pending.length} key(s) unprocessed`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** round));
      const res = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }));
      for (const item of res.Responses?.[table] ?? []) found.set(id(item), item);
      pending = (res.UnprocessedKeys?.[table]?.Keys as Item[] | undefined) ?? [];
    }
  }
  return keys.flatMap((k) => {
    const item = found.get(id(k));
    return item ? [map(item)] : [];
  });
};

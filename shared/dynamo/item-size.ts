/** DynamoDB's limit on one item, names and values together. */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * An upper estimate of an item's stored size, after DynamoDB's rules
 * (attribute names + UTF-8 strings, numbers up to 21 bytes, 3 bytes per
 * list/map plus 1 per element, 1 byte for null/boolean).
 */
export const itemSize = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return 21;
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + itemSize(v), 3);
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + 1 + itemSize(v), 3);
  if (typeof value === 'object') {
    return Object.entries(value).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k, 'utf8') + itemSize(v), 3);
  }
  return 0;
};

/** An upper estimate of a whole item's stored size: every attribute name and value. */
export const storedSize = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + itemSize(v), 0);

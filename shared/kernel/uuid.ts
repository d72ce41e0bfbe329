/**
 * Karbor's lenient uuid test (oslo `is_uuid_like`): after dropping `urn:`,
 * `uuid:`, braces and every `-`, exactly 32 hex digits, any case.
 */
export const isUuidLike = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const bare = value
    .replace(/^urn:/i, '')
    .replace(/^uuid:/i, '')
    .replace(/[{}-]/g, '');
  return /^[0-9a-fA-F]{32}$/.test(bare);
};

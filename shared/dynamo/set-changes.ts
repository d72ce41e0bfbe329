/**
 * The parts of an UpdateItem that set each defined entry of `changes`
 * (`SET #k = :k, ...` with its names and values). Undefined entries are left
 * out: the client drops undefined values, and DynamoDB refuses an expression
 * whose placeholder has none.
 */
export const setChanges = (changes: Record<string, unknown>) => {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  return {
    UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
  };
};

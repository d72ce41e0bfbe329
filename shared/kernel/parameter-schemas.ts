import { isUuidLike } from './uuid';

const AWS_PREFIX = 'AWS::';

/**
 * Checks restore or verify parameters against a provider's `restore_schema`
 * or `verify_schema` (docs/contract.md §8.1 step 3, §8.2); returns Karbor's
 * reason, or undefined when valid. Keys are `<type>` or `<type>#<id>`; a type
 * whose schema lists no properties accepts only an empty object
 * (docs/decisions.md §7). AWS resource ids are names, not uuids, so `#<id>`
 * of an AWS type only has to be non-empty (a deliberate difference).
 */
export const parametersProblem = (
  schemas: Record<string, Record<string, unknown>>,
  parameters: Record<string, Record<string, string> | null>,
  noun: 'restore' | 'verify',
): string | undefined => {
  for (const [key, value] of Object.entries(parameters)) {
    const hash = key.indexOf('#');
    const type = hash < 0 ? key : key.slice(0, hash);
    const schema = schemas[type];
    if (!schema) return `The key of ${noun} parameters is invalid.`;
    if (hash >= 0) {
      const id = key.slice(hash + 1);
      if (type.startsWith(AWS_PREFIX) ? id.length === 0 : !isUuidLike(id)) return 'The resource_id must be a uuid.';
    }
    const allowed = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
    if (value && Object.keys(value).some((k) => !allowed.includes(k))) return `The ${noun} property of ${noun} parameters is invalid.`;
  }
  return undefined;
};

import * as z from 'zod';
import { isUuidLike } from './uuid';
import { pyRepr, pyStr } from './karbor-text';

/**
 * Karbor's shared parameter types (`karbor/api/validation/parameter_types.py`),
 * used by the plan, checkpoint, restore and verification schemas, with the
 * messages jsonschema prints.
 */

/** Keys of `parameters` and of each of its maps (parameter_types `metadata`). */
const KEY_PATTERN = /^[a-zA-Z0-9\-_:.# ]{1,255}$/;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const unexpected = (keys: string[]) =>
  `Additional properties are not allowed (${keys.map((k) => pyRepr(k)).join(', ')} ${keys.length > 1 ? 'were' : 'was'} unexpected)`;

/** Karbor's `uuid` format. */
export const uuidField = z.string().superRefine((value, ctx) => {
  if (!isUuidLike(value)) ctx.addIssue({ code: 'custom', message: `${pyRepr(value)} is not a 'uuid'` });
});

type Metadata = Record<string, string | number | boolean>;

/** Karbor's `metadata`: an object (or null) with KEY_PATTERN keys and boolean, string or integer values. */
const metadataCheck = (value: unknown, ctx: z.RefinementCtx, path: PropertyKey[] = []): boolean => {
  if (value === null) return true;
  if (!isPlainObject(value)) {
    ctx.addIssue({ code: 'custom', path, message: `${pyRepr(value)} is not of type 'object', 'null'` });
    return false;
  }
  const bad = Object.keys(value).filter((k) => !KEY_PATTERN.test(k));
  if (bad.length > 0) {
    ctx.addIssue({ code: 'custom', path, message: unexpected(bad) });
    return false;
  }
  for (const [k, leaf] of Object.entries(value)) {
    const ok = typeof leaf === 'string' || typeof leaf === 'boolean' || (typeof leaf === 'number' && Number.isInteger(leaf));
    if (!ok) {
      ctx.addIssue({ code: 'custom', path: [...path, k], message: `${pyRepr(leaf)} is not of type 'boolean', 'string', 'integer'` });
      return false;
    }
  }
  return true;
};

export const metadataField = z
  .unknown()
  .superRefine((v, ctx) => void metadataCheck(v, ctx))
  .transform((v) => v as Metadata | null);

/**
 * Karbor's `parameters`: an object (not null) whose keys match KEY_PATTERN and
 * whose values are `metadata`. Written by hand so each failure names the same
 * field jsonschema would.
 */
export const parametersField = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value === undefined) {
      // Reported like jsonschema's "'parameters' is a required property" on the enclosing object.
      ctx.addIssue({ code: 'invalid_type', expected: 'object', input: value });
      return;
    }
    if (!isPlainObject(value)) {
      ctx.addIssue({ code: 'custom', message: `${pyRepr(value)} is not of type 'object'` });
      return;
    }
    const bad = Object.keys(value).filter((k) => !KEY_PATTERN.test(k));
    if (bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: unexpected(bad) });
      return;
    }
    for (const [k, inner] of Object.entries(value)) if (!metadataCheck(inner, ctx, [k])) return;
  })
  .transform((v) => v as Record<string, Metadata | null>);

/** Karbor's string coercion of parameter leaves (`5` -> `"5"`, `true` -> `"True"`), as its objects store them. */
export const coerceParameters = (input: Record<string, Record<string, unknown> | null>): Record<string, Record<string, string> | null> =>
  Object.fromEntries(
    Object.entries(input).map(([k, v]) => [
      k,
      v === null ? null : Object.fromEntries(Object.entries(v).map(([ik, iv]) => [ik, pyStr(iv as string | number | boolean)])),
    ]),
  );

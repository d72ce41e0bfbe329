import type * as z from 'zod';
import { InvalidInputError } from '../kernel/errors';
import { pyRepr } from '../kernel/karbor-text';

/** Marks a refinement whose message is Karbor's exact text, shown without the field prefix. */
export const VERBATIM = { verbatim: true } as const;

/** A refinement carrying Karbor's exact message. */
export const karborCheck = <T>(check: (value: T) => boolean, message: string) => [check, { message, params: VERBATIM }] as const;

const JSON_TYPES: Record<string, string> = {
  string: 'string',
  number: 'number',
  int: 'integer',
  boolean: 'boolean',
  object: 'object',
  array: 'array',
  record: 'object',
};

const at = (root: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), root);

/** jsonschema's wording of one zod issue, and the path of the instance it is about. */
const describe = (issue: z.core.$ZodIssue, root: unknown): { path: PropertyKey[]; text: string } => {
  const value = at(root, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) {
        // jsonschema reports a missing key on the object that lacks it.
        return { path: issue.path.slice(0, -1), text: `'${String(issue.path[issue.path.length - 1])}' is a required property` };
      }
      return { path: issue.path, text: `${pyRepr(value)} is not of type '${JSON_TYPES[issue.expected] ?? issue.expected}'` };
    case 'unrecognized_keys':
      return {
        path: issue.path,
        text: `Additional properties are not allowed (${issue.keys.map((k) => `'${k}'`).join(', ')} ${issue.keys.length > 1 ? 'were' : 'was'} unexpected)`,
      };
    case 'too_big':
      return { path: issue.path, text: issue.origin === 'string' ? `${pyRepr(value)} is too long` : `${pyRepr(value)} is too big` };
    case 'invalid_value':
      return { path: issue.path, text: `${pyRepr(value)} is not one of [${issue.values.map((v) => pyRepr(v)).join(', ')}]` };
    default:
      return { path: issue.path, text: issue.message };
  }
};

/**
 * Turns a zod failure into Karbor's 400 text: a custom check's own message;
 * at the root, the bare jsonschema message; below it,
 * `Invalid input for field/attribute <key>. Value: <value>. <message>`.
 */
const invalidInput = (error: z.ZodError, root: unknown): InvalidInputError => {
  const issue = error.issues[0];
  if (issue.code === 'custom' && (issue.params as { verbatim?: boolean } | undefined)?.verbatim) {
    return new InvalidInputError(issue.message);
  }
  const { path, text } = describe(issue, root);
  if (path.length === 0) return new InvalidInputError(text);
  return new InvalidInputError(`Invalid input for field/attribute ${String(path[path.length - 1])}. Value: ${pyRepr(at(root, path), true)}. ${text}`);
};

/** Parses `input` with `schema`, throwing Karbor's 400 on failure. */
export const parseWith = <T>(schema: z.ZodType<T>, input: unknown): T => {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(result.error, input);
  return result.data;
};

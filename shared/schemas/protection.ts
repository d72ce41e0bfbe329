import * as z from 'zod';
import { isUuidLike } from '../domain/uuid';
import { pyRepr } from '../http/validation';
import { projectPath } from './common';

/**
 * Request schemas of checkpoints and restores, after Karbor's
 * `karbor/api/schemas/checkpoints.py` and `restores.py`, with jsonschema's messages.
 */

export const providerPath = projectPath.extend({ provider_id: z.string() });
export const checkpointPath = providerPath.extend({ checkpoint_id: z.string() });
export const restorePath = projectPath.extend({ restore_id: z.string() });

const KEY_PATTERN = /^[a-zA-Z0-9\-_:.# ]{1,255}$/;
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const unexpected = (keys: string[]) =>
  `Additional properties are not allowed (${keys.map((k) => pyRepr(k)).join(', ')} ${keys.length > 1 ? 'were' : 'was'} unexpected)`;

const uuidField = z.string().superRefine((value, ctx) => {
  if (!isUuidLike(value)) ctx.addIssue({ code: 'custom', message: `${pyRepr(value)} is not a 'uuid'` });
});

export type Metadata = Record<string, string | number | boolean>;

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

const metadataField = z
  .unknown()
  .superRefine((v, ctx) => void metadataCheck(v, ctx))
  .transform((v) => v as Metadata | null);

/** Karbor's `parameters`: an object (not null) whose values are `metadata`. */
const parametersField = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value === undefined) {
      // Reported as jsonschema's "'parameters' is a required property" on the envelope.
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

/**
 * `POST .../checkpoints`. DECISIONS.md 3: `extra_info` and `extra-info` are
 * both accepted and honoured (Karbor accepts only the hyphen, then ignores it).
 */
export const createCheckpointBody = z.strictObject({
  checkpoint: z.strictObject({
    plan_id: uuidField,
    'extra-info': metadataField.optional(),
    extra_info: metadataField.optional(),
  }),
});

/** `PUT .../checkpoints/{id}`: reset state. */
export const resetCheckpointBody = z.strictObject({
  'os-resetState': z.strictObject({ state: z.enum(['available', 'error']) }),
});

/** `POST /restores`: restore_auth is checked like metadata and then dropped (never stored). */
export const createRestoreBody = z.strictObject({
  restore: z.strictObject({
    provider_id: uuidField,
    checkpoint_id: uuidField,
    restore_target: z.string().max(255).nullable().optional(),
    restore_auth: metadataField.optional(),
    parameters: parametersField,
  }),
});

/**
 * The request with every scalar of `restore.restore_auth` replaced by `***`
 * (same shape, so validation reports the same failures), for validation
 * messages that quote the request.
 */
export const withoutRestoreSecrets = (body: unknown): unknown => {
  if (!isPlainObject(body) || !isPlainObject(body.restore) || !isPlainObject(body.restore.restore_auth)) return body;
  const masked = Object.fromEntries(
    Object.entries(body.restore.restore_auth).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? '***' : v]),
  );
  return { ...body, restore: { ...body.restore, restore_auth: masked } };
};

export const verificationPath = projectPath.extend({ verification_id: z.string() });

/** `POST /verifications`: parameters optional (Karbor stores `{}`). */
export const createVerificationBody = z.strictObject({
  verification: z.strictObject({
    provider_id: uuidField,
    checkpoint_id: uuidField,
    parameters: parametersField.optional(),
  }),
});

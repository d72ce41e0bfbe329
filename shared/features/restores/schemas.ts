import * as z from 'zod';
import { pageSchema } from '../../http/links';
import { jobOutcomeFields, projectPath, resourceOutcomeFields } from '../../kernel/schemas';
import { isPlainObject, metadataField, parametersField, uuidField } from '../../kernel/parameter-types';

/** Request schemas of restores, after Karbor's `karbor/api/schemas/restores.py`, with jsonschema's messages. */

export const restorePath = projectPath.extend({ restore_id: z.string() });

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

// Response bodies (shared/features/restores/views.ts), for the OpenAPI document.

export const restoreViewSchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    provider_id: z.string(),
    checkpoint_id: z.string(),
    restore_target: z.string().nullable(),
    parameters: z.record(z.string(), z.record(z.string(), z.string()).nullable()),
    status: z.string().meta({ description: 'in_progress, success or fail' }),
    ...resourceOutcomeFields,
    ...jobOutcomeFields,
    restored_as: z.record(z.string(), z.string()).meta({
      description:
        "Extension: what each resource (`<type>#<id>`) was restored as, e.g. the new table's name; filled as the restore finishes. restore_target stays what the caller sent.",
    }),
  })
  .meta({ title: 'Restore' });

export const restoreResponse = z.object({ restore: restoreViewSchema });
export const restorePageResponse = pageSchema('restores', restoreViewSchema);

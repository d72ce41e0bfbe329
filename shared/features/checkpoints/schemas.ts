import * as z from 'zod';
import { pageSchema } from '../../http/links';
import { jobOutcomeFields, projectPath, resourceOutcomeFields } from '../../kernel/schemas';
import { metadataField, parametersField, uuidField } from '../../kernel/parameter-types';
import { LOCK_MODES } from './model';

/**
 * Request schemas of checkpoints, after Karbor's
 * `karbor/api/schemas/checkpoints.py`, with jsonschema's messages.
 */

export const providerPath = projectPath.extend({ provider_id: z.string() });
export const checkpointPath = providerPath.extend({ checkpoint_id: z.string() });

/**
 * `POST .../checkpoints`. docs/decisions.md §3: `extra_info` and `extra-info` are
 * both accepted and honoured (Karbor accepts only the hyphen, then ignores it).
 */
export const createCheckpointBody = z.strictObject({
  checkpoint: z.strictObject({
    plan_id: uuidField,
    'extra-info': metadataField.optional(),
    extra_info: metadataField.optional(),
  }),
});

/** `POST .../checkpoints/action`: copy a plan's checkpoints (Karbor's `copies.py` schema; `parameters` optional). */
export const copyCheckpointsBody = z.strictObject({
  copy: z.strictObject({
    plan_id: uuidField,
    parameters: parametersField.optional(),
  }),
});

/** `PUT .../checkpoints/{id}`: reset state. */
export const resetCheckpointBody = z.strictObject({
  'os-resetState': z.strictObject({ state: z.enum(['available', 'error']) }),
});

const lockShape = z.strictObject({
  mode: z.enum(LOCK_MODES).meta({ description: 'governance: an admin may shorten or lift it; compliance: nobody can, it can only be extended.' }),
  until: z.string().meta({ description: 'ISO 8601 time the lock binds until.' }),
});
/** The view's lock, shared in the document as one titled component (the request body keeps it inline). */
const lockFields = lockShape.meta({ title: 'CheckpointLock' });

/** `PUT .../checkpoints/{id}/lock` (extension, docs/decisions.md §19): a lock (null lifts it), a legal hold, or both. */
export const lockCheckpointBody = z
  .strictObject({
    lock: lockShape.nullable().optional(),
    legal_hold: z.boolean().optional(),
  })
  .refine((b) => b.lock !== undefined || b.legal_hold !== undefined, { message: 'lock or legal_hold is required' });

// Response bodies (shared/features/checkpoints/views.ts), for the OpenAPI document.

/** Karbor's keys, as the create answer has them (views.ts `createdCheckpointView`: no graph, date or provider yet). */
const karborCheckpoint = z.object({
  id: z.string(),
  project_id: z.string(),
  status: z.string().meta({ description: 'protecting, available, error, deleting, deleted, error-deleting, wait_copying, copying' }),
  protection_plan: z.object({
    id: z.string(),
    name: z.string(),
    provider_id: z.string().optional(),
    resources: z.array(z.object({ id: z.string(), type: z.string(), name: z.string().nullable(), extra_info: z.string().nullable() })),
  }),
  resource_graph: z.string().nullable().meta({ description: 'JSON text; null in the create response.' }),
  created_at: z.string().nullable().meta({ description: 'A date, `YYYY-MM-DD`; null in the create response.' }),
  extra_info: z.string().meta({
    description:
      'Python-style JSON text. Extension (docs/decisions.md §3): `extra_info` is kept (Karbor drops it) and carries `created_by` (`manual` or `operation-engine`, then with `trigger_id` and `scheduled_operation_id`).',
    'x-karbor-extension': true,
  }),
});

export const createdCheckpointSchema = karborCheckpoint.meta({ title: 'CheckpointCreated' });

export const checkpointViewSchema = karborCheckpoint
  .extend({
    resources_status: resourceOutcomeFields.resources_status.meta({ description: "Extension: each resource's status.", 'x-karbor-extension': true }),
    resources_reason: resourceOutcomeFields.resources_reason.meta({ description: 'Extension: why a resource failed.', 'x-karbor-extension': true }),
    ...jobOutcomeFields,
    lock: lockFields.nullable().meta({ description: 'Extension (docs/decisions.md §19): the lock while it binds, else null.', 'x-karbor-extension': true }),
    legal_hold: z.boolean().meta({ description: 'Extension (docs/decisions.md §19): on legal hold until released.', 'x-karbor-extension': true }),
  })
  .meta({ title: 'Checkpoint' });

export const checkpointResponse = z.object({ checkpoint: checkpointViewSchema });
export const createdCheckpointResponse = z.object({ checkpoint: createdCheckpointSchema });
export const checkpointPageResponse = pageSchema('checkpoints', checkpointViewSchema);
/** Karbor's copy answer: each source with the copy made of it (docs/contract.md §5.10). */
export const copyResponse = z.object({
  copy: z
    .object({
      project_id: z.string(),
      provider_id: z.string(),
      plan_id: z.string(),
      checkpoint_id: z.array(
        z
          .object({
            checkpoint_protect_id: z.string().meta({ description: 'The checkpoint copied.' }),
            checkpoint_copy_id: z.string().meta({ description: 'The new checkpoint, `wait_copying` until the worker finishes it.' }),
          })
          .meta({ title: 'CheckpointCopyPair' }),
      ),
      parameters: z.record(z.string(), z.record(z.string(), z.string()).nullable()).meta({
        description: "The request's parameters; `{}` when it had none (Karbor answers null: docs/decisions.md §15).",
      }),
    })
    .meta({ title: 'CheckpointCopy' }),
});

/** Checkpoint delete and reset-state answer `{}` (Karbor). */
export const emptyObjectResponse = z.strictObject({});

import * as z from 'zod';
import { projectPath } from '../../kernel/schemas';
import { metadataField, uuidField } from '../../kernel/parameter-types';

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

/** `PUT .../checkpoints/{id}`: reset state. */
export const resetCheckpointBody = z.strictObject({
  'os-resetState': z.strictObject({ state: z.enum(['available', 'error']) }),
});

import * as z from 'zod';
import { pageSchema } from '../../http/links';
import { jobOutcomeFields, projectPath, resourceOutcomeFields } from '../../kernel/schemas';
import { parametersField, uuidField } from '../../kernel/parameter-types';

/** Request schemas of verifications, after Karbor's `karbor/api/schemas/verifications.py`. */

export const verificationPath = projectPath.extend({ verification_id: z.string() });

/** `POST /verifications`: parameters optional (Karbor stores `{}`). */
export const createVerificationBody = z.strictObject({
  verification: z.strictObject({
    provider_id: uuidField,
    checkpoint_id: uuidField,
    parameters: parametersField.optional(),
  }),
});

// Response bodies (shared/features/verifications/views.ts), for the OpenAPI document.

export const verificationViewSchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    provider_id: z.string(),
    checkpoint_id: z.string(),
    parameters: z.record(z.string(), z.unknown()),
    status: z.enum(['in_progress', 'success', 'fail']),
    ...resourceOutcomeFields,
    ...jobOutcomeFields,
  })
  .meta({ title: 'Verification' });

export const verificationResponse = z.object({ verification: verificationViewSchema });
export const verificationPageResponse = pageSchema('verifications', verificationViewSchema);

import * as z from 'zod';
import { projectPath } from '../../kernel/schemas';
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

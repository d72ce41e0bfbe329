import * as z from 'zod';
import { metadataField } from '../../kernel/parameter-types';
import { projectPath } from '../../kernel/schemas';

/**
 * Request schemas of the quota and quota-class APIs, after Karbor's
 * `karbor/api/schemas/quotas.py` and `quota_classes.py`: the envelope is
 * required, nothing else may sit beside it, and its content is `metadata`
 * (keys per the metadata key pattern, boolean, string or integer values).
 * The value rules themselves are the domain's (shared/features/quotas/use-cases.ts).
 */

export const quotaPath = projectPath.extend({ target_project_id: z.string() });
export const quotaClassPath = projectPath.extend({ class_name: z.string() });

/**
 * The envelope's content. Deliberate difference: null is a 400 (Karbor's
 * schema allows it, then its controller crashes with a 500).
 */
const quotaValuesField = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value === undefined) {
      // Reported like jsonschema's "'quota' is a required property" on the body.
      ctx.addIssue({ code: 'invalid_type', expected: 'object', input: value });
    } else if (value === null) {
      ctx.addIssue({ code: 'custom', message: "None is not of type 'object'" });
    } else {
      const parsed = metadataField.safeParse(value);
      for (const issue of parsed.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  })
  .transform((value) => value as Record<string, string | number | boolean>);

/** `PUT /quotas/{target}`: `{"quota": {"plans": 10, "checkpoints": -1}}`. */
export const updateQuotaBody = z.strictObject({ quota: quotaValuesField });

/** `PUT /quota_classes/{name}`: `{"quota_class": {"plans": 10}}`. */
export const updateQuotaClassBody = z.strictObject({ quota_class: quotaValuesField });

// Response bodies, for the OpenAPI document: a limit per resource, -1 unlimited.

// Titled, so the document shares each as one component (infra/openapi/document.ts).
const limits = { plans: z.number().int(), checkpoints: z.number().int() };
const quotaLimits = z.object(limits).meta({ title: 'QuotaLimits' });
/** A project's quotas or a quota class: `id` is the project or the class name. */
const quotaSet = z.object({ ...limits, id: z.string() }).meta({ title: 'QuotaSet' });
const usage = z.object({ limit: z.number().int(), in_use: z.number().int(), reserved: z.number().int() }).meta({ title: 'QuotaUsage' });

export const quotaResponse = z.object({ quota: quotaSet });
/** `PUT /quotas/{target}`: the updated limits without `id` (Karbor). */
export const updatedQuotaResponse = z.object({ quota: quotaLimits });
export const quotaDetailResponse = z.object({
  quota: z.object({ plans: usage, checkpoints: usage, id: z.string() }).meta({ title: 'QuotaDetail' }),
});
export const quotaClassResponse = z.object({ quota_class: quotaSet });
export const updatedQuotaClassResponse = z.object({ quota_class: quotaLimits });

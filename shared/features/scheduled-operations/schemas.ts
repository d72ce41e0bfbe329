import * as z from 'zod';
import { pageSchema } from '../../http/links';
import { isUuidLike } from '../../kernel/uuid';
import { pyRepr } from '../../kernel/karbor-text';
import { VERBATIM } from '../../http/validation';
import { projectPath } from '../../kernel/schemas';

/** Karbor's `uuid` format, with jsonschema's message. */
const uuid = z.string().superRefine((value, ctx) => {
  if (!isUuidLike(value)) ctx.addIssue({ code: 'custom', message: `${pyRepr(value)} is not a 'uuid'` });
});

/** Karbor's `name` format: null or "" -> "can not be None", blank -> "can not be empty"; absent is the controller's business. */
const name = z
  .string()
  .max(255)
  .nullable()
  .superRefine((value, ctx) => {
    if (!value) {
      ctx.addIssue({ code: 'custom', message: "An invalid 'name' value was provided. The 'name' can not be None.", params: VERBATIM });
    } else if (value.trim().length === 0) {
      ctx.addIssue({ code: 'custom', message: "An invalid 'name' value was provided. The 'name' can not be empty.", params: VERBATIM });
    }
  });

/** Karbor's `description`: printable characters of the BMP only, at most 255. */
const description = z
  .string()
  .max(255)
  .nullable()
  .superRefine((value, ctx) => {
    if (value !== null && !/^[^\p{C}\p{Zl}\p{Zp}\u{10000}-\u{10FFFF}]*$/u.test(value)) {
      ctx.addIssue({ code: 'custom', message: `${pyRepr(value)} does not match '^[<printable characters>]*$'` });
    }
  });

/** Definition values are scalars (docs/decisions.md §7: nested values are a 400, Karbor 500s). */
const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const createScheduledOperationBody = z.strictObject({
  scheduled_operation: z.strictObject({
    name: name.optional(),
    description: description.optional(),
    operation_type: z.string().max(255).meta({
      description:
        "Karbor's `protect` or `retention_protect`, or `verify` (extension, docs/decisions.md §24): a drill that verifies the plan's newest available checkpoint at each occurrence; its definition may add `depth` (`basic`, the default, or `full`).",
    }),
    trigger_id: uuid,
    operation_definition: z
      .object({ provider_id: uuid, plan_id: uuid })
      .catchall(scalar)
      .superRefine((value, ctx) => {
        // Karbor's column is TEXT (64 KiB): a bigger definition is a 400, never a store failure.
        if (JSON.stringify(value).length > 65535) ctx.addIssue({ code: 'custom', message: 'operation_definition is too long' });
      }),
  }),
});

export const scheduledOperationPath = projectPath.extend({ scheduled_operation_id: z.string() });

// Response bodies (shared/features/scheduled-operations/views.ts), for the OpenAPI document.

export const lastRunSchema = z
  .object({
    time: z.string().meta({ description: 'When the run started, UTC, `YYYY-MM-DDTHH:MM:SS.ffffff` (as operation logs).' }),
    status: z.string().meta({ description: "The run's operation log status: in_progress, success, failed, skipped or dropped_out_of_window." }),
    operation_log_id: z.string(),
  })
  .nullable()
  .meta({ description: 'Extension: the latest run, null before the first one.', 'x-karbor-extension': true });

export const operationViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    operation_type: z.string(),
    trigger_id: z.string(),
    operation_definition: z.record(z.string(), z.string()),
    enabled: z.boolean(),
    last_run: lastRunSchema,
    next_run: z.string().nullable().meta({
      description: "Extension: the trigger's next firing, UTC, `YYYY-MM-DD HH:MM:SS` (as trigger times); null when it has ended.",
      'x-karbor-extension': true,
    }),
  })
  .meta({ title: 'ScheduledOperation' });

export const operationResponse = z.object({ scheduled_operation: operationViewSchema });
export const operationPageResponse = pageSchema('operations', operationViewSchema);

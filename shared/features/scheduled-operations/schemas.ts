import * as z from 'zod';
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
    operation_type: z.string().max(255),
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

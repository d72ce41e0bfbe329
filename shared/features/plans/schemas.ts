import * as z from 'zod';
import { pyRepr } from '../../kernel/karbor-text';
import { VERBATIM } from '../../http/validation';
import { projectPath } from '../../kernel/schemas';
import { pageSchema } from '../../http/links';
import { parametersField, uuidField } from '../../kernel/parameter-types';

/**
 * Request schemas of the plans API, after Karbor's `karbor/api/schemas/plans.py`
 * and `parameter_types.py` (JSON Schema draft 4), with the messages Karbor's
 * validator prints.
 */

export const planPath = projectPath.extend({ plan_id: z.string() });

/** Karbor's `name` format: null or "" -> "can not be None", blank -> "can not be empty". */
const nameCheck = (value: string | null | undefined, ctx: z.RefinementCtx) => {
  if (!value) {
    ctx.addIssue({ code: 'custom', message: "An invalid 'name' value was provided. The 'name' can not be None.", params: VERBATIM });
  } else if (value.trim().length === 0) {
    ctx.addIssue({ code: 'custom', message: "An invalid 'name' value was provided. The 'name' can not be empty.", params: VERBATIM });
  }
};

const nameType = z.string().max(255).nullable();

/**
 * The create's name, checked by hand because zod skips refinements of an
 * absent optional: missing is Karbor's "can not be None" (docs/decisions.md §7; Karbor 500s).
 */
const createName = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value === undefined || value === null || value === '') {
      nameCheck(null, ctx);
    } else if (typeof value !== 'string') {
      ctx.addIssue({ code: 'invalid_type', expected: 'string', input: value });
    } else if (value.length > 255) {
      ctx.addIssue({ code: 'too_big', origin: 'string', maximum: 255, inclusive: true, input: value });
    } else {
      nameCheck(value, ctx);
    }
  })
  .transform((value) => value as string);

/**
 * Karbor's `description` pattern: printable characters of the BMP only
 * (no C* categories, no Z* other than Zs), so tabs, newlines and emoji fail.
 */
const PRINTABLE_BMP = /^[^\p{C}\p{Zl}\p{Zp}\u{10000}-\u{10FFFF}]*$/u;

const descriptionField = z
  .string()
  .max(255)
  .nullable()
  .superRefine((value, ctx) => {
    if (value !== null && !PRINTABLE_BMP.test(value)) {
      ctx.addIssue({ code: 'custom', message: `${pyRepr(value)} does not match '^[<printable characters>]*$'` });
    }
  });

/**
 * Extension (docs/decisions.md §25): the names of configured destinations a
 * plan's copies go to; the use case checks them against the configuration.
 */
const destinationsField = z.array(z.string().max(63)).max(10).meta({
  description: "Extension (docs/decisions.md §25): the copy destinations' names; empty or absent: the provider's default.",
  'x-karbor-extension': true,
});

/** Karbor's `resources` type: an array of objects; the item content is checked by the controller. */
const resourcesField = z.array(z.record(z.string(), z.unknown()));

type PlanParametersInput = Record<string, Record<string, string | number | boolean> | null>;

/** `POST /plans`. Deliberate difference: a missing `name` is Karbor's "can not be None" 400, not a 500. */
export const createPlanBody = z.strictObject({
  plan: z.strictObject({
    name: createName,
    description: descriptionField.optional(),
    provider_id: uuidField,
    parameters: parametersField.transform((v) => v as PlanParametersInput),
    resources: resourcesField.optional(),
    destinations: destinationsField.optional(),
  }),
});

/** Plan statuses (docs/decisions.md §2: anything else is a 400; Karbor takes any string). */
const PLAN_STATUSES = ['suspended', 'started'] as const;

/** `PUT /plans/{id}`: provider_id and parameters cannot change (additional property). */
export const updatePlanBody = z.strictObject({
  plan: z.strictObject({
    name: nameType.superRefine(nameCheck).optional(),
    description: descriptionField.optional(),
    status: z.enum(PLAN_STATUSES).optional(),
    resources: resourcesField.optional(),
    destinations: destinationsField.optional(),
  }),
});

// Response bodies (shared/features/plans/views.ts), for the OpenAPI document.

const planResourceView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  extra_info: z.record(z.string(), z.unknown()).optional(),
});

/** The plan view's `compliance` extension (docs/decisions.md §20). */
const complianceSchema = z
  .object({
    status: z.enum(['compliant', 'late', 'unprotected']).meta({
      description: '`late`: no good checkpoint within two expected intervals; `unprotected`: never a good checkpoint and not late; else `compliant`.',
    }),
    last_good_checkpoint_at: z.string().nullable().meta({ description: 'When the newest good (available) checkpoint of the plan became available.' }),
    expected_interval_seconds: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The shortest expected interval among the plan's scheduled operations (longest gap between runs plus window); null without one." }),
    late_since: z.string().nullable().meta({ description: 'When the plan became late; null unless late.' }),
    last_verified_at: z
      .string()
      .nullable()
      .meta({ description: "When the plan's newest successful drill (a `verify` scheduled operation, docs/decisions.md §24) ended; null before the first." }),
  })
  .meta({ title: 'PlanCompliance' });

export const planViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    resources: z.array(planResourceView),
    provider_id: z.string(),
    status: z.enum(PLAN_STATUSES),
    parameters: z.record(z.string(), z.record(z.string(), z.string()).nullable()),
    compliance: complianceSchema.meta({
      description: 'Extension (docs/decisions.md §20): whether the plan meets its schedule, judged at the time of the request.',
      'x-karbor-extension': true,
    }),
    destinations: z
      .array(z.string())
      .meta({ description: "Extension (docs/decisions.md §25): the copy destinations' names; empty: the provider's default.", 'x-karbor-extension': true }),
  })
  .meta({ title: 'Plan' });

export const planResponse = z.object({ plan: planViewSchema });
export const planPageResponse = pageSchema('plans', planViewSchema);

import * as z from 'zod';
import { pageSchema } from '../../http/links';
import { projectPath } from '../../kernel/schemas';

/** `window` is an integer or a numeric string (docs/decisions.md §4); the engine checks the value. */
const windowValue = z.union([z.number(), z.string().max(255)]);

/** Karbor's properties column is TEXT (64 KiB); a pattern beyond that is a 400, never a store failure. */
const MAX_PATTERN = 65535;

const timeProperties = {
  format: z.string().max(255),
  pattern: z.string().max(MAX_PATTERN),
  start_time: z.string().max(255).optional(),
  end_time: z.string().max(255).optional(),
  window: windowValue.optional(),
};

export const createTriggerBody = z.strictObject({
  trigger_info: z.strictObject({
    // Deliberate difference: Karbor's column is 255 characters and a longer name is a 500 (docs/decisions.md §7).
    name: z.string().max(255),
    type: z.string().max(255),
    properties: z.strictObject(timeProperties),
  }),
});

export const updateTriggerBody = z.strictObject({
  trigger_info: z.strictObject({
    name: z.string().max(255).optional(),
    type: z.string().max(255).optional(),
    properties: z.strictObject(timeProperties).partial().optional(),
  }),
});

export const triggerPath = projectPath.extend({ trigger_id: z.string() });

// Response bodies (shared/features/triggers/views.ts), for the OpenAPI document.

export const triggerViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    properties: z.record(z.string(), z.string()).meta({ description: 'As given, values as strings; start_time defaults to the creation time.' }),
    next_runs: z.array(z.string()).meta({
      description:
        'Extension: the next (at most five) times the trigger fires, UTC, `YYYY-MM-DD HH:MM:SS` like start_time; after now and start_time, before end_time; `[]` once it has ended.',
      'x-karbor-extension': true,
    }),
  })
  .meta({ title: 'Trigger' });

export const triggerResponse = z.object({ trigger_info: triggerViewSchema });
export const triggerPageResponse = pageSchema('triggers', triggerViewSchema);

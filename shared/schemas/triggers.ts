import * as z from 'zod';
import { projectPath } from './common';

/** `window` is an integer or a numeric string (DECISIONS.md 4); the engine checks the value. */
const windowValue = z.union([z.number(), z.string()]);

const timeProperties = {
  format: z.string(),
  pattern: z.string(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  window: windowValue.optional(),
};

export const createTriggerBody = z.strictObject({
  trigger_info: z.strictObject({
    // Deliberate difference: Karbor's column is 255 characters and a longer name is a 500 (DECISIONS.md 7).
    name: z.string().max(255),
    type: z.string(),
    properties: z.strictObject(timeProperties),
  }),
});

export const updateTriggerBody = z.strictObject({
  trigger_info: z.strictObject({
    name: z.string().max(255).optional(),
    type: z.string().optional(),
    properties: z.strictObject(timeProperties).partial().optional(),
  }),
});

export const triggerPath = projectPath.extend({ trigger_id: z.string() });

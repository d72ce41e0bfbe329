import * as z from 'zod';
import { RESOURCE_TYPES } from '../protectables/resource-types';

const jsonSchema = z.record(z.string(), z.unknown());

/** One provider's configuration file (shared/providers/config/*.json). */
export const providerConfig = z.strictObject({
  id: z.uuid(),
  name: z.string().min(1).max(255),
  description: z.string().max(255),
  enabled: z.boolean(),
  /** Which bank holds this provider's checkpoint data. */
  bank: z.string().min(1),
  /** Per protectable type: the plugin that protects it and its three schemas. */
  resources: z.record(
    z.string().refine((t) => RESOURCE_TYPES.includes(t), { message: 'unknown resource type' }),
    z.strictObject({
      plugin: z.string().min(1),
      options_schema: jsonSchema,
      restore_schema: jsonSchema,
      saved_info_schema: jsonSchema,
    }),
  ),
});

export type ProviderConfig = z.infer<typeof providerConfig>;

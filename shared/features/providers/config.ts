import * as z from 'zod';
import { RESOURCE_TYPES } from '../protectables/model';

const jsonSchema = z.record(z.string(), z.unknown());

/** One provider's configuration file (shared/features/providers/config/*.json). */
const providerConfig = z.strictObject({
  id: z.uuid(),
  name: z.string().min(1).max(255),
  description: z.string().max(255),
  enabled: z.boolean(),
  /** Which bank holds this provider's checkpoint data. */
  bank: z.string().min(1),
  /** Per protectable type: the plugin that protects it, Karbor's three schemas and our verify_schema (docs/decisions.md, Verification). */
  resources: z.record(
    z.string().refine((t) => RESOURCE_TYPES.includes(t), { message: 'unknown resource type' }),
    z.strictObject({
      plugin: z.string().min(1),
      options_schema: jsonSchema,
      restore_schema: jsonSchema,
      saved_info_schema: jsonSchema,
      verify_schema: jsonSchema,
    }),
  ),
});

export type ProviderConfig = z.infer<typeof providerConfig>;

/** Validates every provider file, naming the first bad one; the stack's synth and `npm start` call it. */
export const checkProviderFiles = (files: Record<string, unknown>): ProviderConfig[] =>
  Object.entries(files).map(([file, raw]) => {
    const parsed = providerConfig.safeParse(raw);
    if (!parsed.success) throw new Error(`invalid provider configuration ${file}: ${parsed.error.message}`);
    return parsed.data;
  });

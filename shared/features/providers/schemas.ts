import * as z from 'zod';
import { pageSchema } from '../../http/links';
import { projectPath } from '../../kernel/schemas';

export const providerPath = projectPath.extend({ provider_id: z.string() });

// Response bodies (shared/features/providers/views.ts), for the OpenAPI document.

const schemaMap = z.record(z.string(), z.unknown()).meta({ description: 'JSON Schemas by resource type.' });

export const providerViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    extended_info_schema: z.object({ options_schema: schemaMap, restore_schema: schemaMap, saved_info_schema: schemaMap, verify_schema: schemaMap }),
  })
  .meta({ title: 'Provider' });

export const providerResponse = z.object({ provider: providerViewSchema });
export const providerPageResponse = pageSchema('providers', providerViewSchema);

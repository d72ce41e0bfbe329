import * as z from 'zod';
import { projectPath } from '../../kernel/schemas';

export const servicePath = projectPath.extend({ service_id: z.string() });

/** Not enveloped and without a schema in Karbor: `{"status": ..., "disabled_reason": ...}`. */
export const updateServiceBody = z
  .record(z.string(), z.unknown())
  .meta({ description: '`{"status": "enabled"|"disabled", "disabled_reason": "..."}`; only the operation engine can change.' });

/** Exact-match filters; other keys are ignored. */
export const serviceQuery = z
  .object({ host: z.string().optional().meta({ description: 'Exact host.' }), binary: z.string().optional().meta({ description: 'Exact binary.' }) })
  .catchall(z.string());

// Response bodies (shared/features/services/views.ts), for the OpenAPI document.

export const serviceViewSchema = z
  .object({
    id: z.number().int(),
    binary: z.string(),
    host: z.string(),
    status: z.enum(['enabled', 'disabled']),
    state: z.enum(['up', 'down']).meta({
      description: '`up` while the part has reported a heartbeat within the last few minutes (README "Service health"), `down` otherwise.',
    }),
    updated_at: z.string().nullable().meta({ description: 'The last heartbeat, UTC, `YYYY-MM-DDTHH:MM:SS.ffffff`.' }),
    disabled_reason: z.string().nullable(),
  })
  .meta({ title: 'Service' });

export const servicesResponse = z.object({ services: z.array(serviceViewSchema) });
export const serviceResponse = z.object({ service: serviceViewSchema });

import * as z from 'zod';
import { pageSchema } from '../../http/links';
import { projectPath } from '../../kernel/schemas';

export const operationLogPath = projectPath.extend({ operation_log_id: z.string() });

// Response bodies (shared/features/operation-logs/views.ts), for the OpenAPI document.

const time = z.string().nullable().meta({ description: 'UTC, `YYYY-MM-DDTHH:MM:SS.ffffff`.' });

export const operationLogViewSchema = z
  .object({
    id: z.string(),
    operation_type: z.string(),
    checkpoint_id: z.string().nullable(),
    plan_id: z.string().nullable(),
    provider_id: z.string().nullable(),
    restore_id: z.string().nullable(),
    scheduled_operation_id: z.string().nullable(),
    status: z.string(),
    started_at: time,
    ended_at: time,
    error_info: z.string().nullable(),
    extra_info: z.string().nullable().meta({ description: 'JSON text.' }),
  })
  .meta({ title: 'OperationLog' });

export const operationLogResponse = z.object({ operation_log: operationLogViewSchema });
export const operationLogPageResponse = pageSchema('operation_logs', operationLogViewSchema);

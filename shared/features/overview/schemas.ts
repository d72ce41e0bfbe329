import * as z from 'zod';
import { projectPath } from '../../kernel/schemas';
import { JOB_KINDS } from './transact';

/** `GET /v1/{project_id}/overview` (an extension, docs/decisions.md §23): admins may ask for every project. */
export const overviewPath = projectPath;
export const overviewQuery = z
  .object({ all_tenants: z.string().optional().meta({ description: 'Admins: every project (`true`, `1`, ...).' }) })
  .catchall(z.string());

const outcomes = z.object({ success: z.number().int(), error: z.number().int() }).meta({ title: 'OutcomeCounts' });

const daySchema = z
  .object({
    date: z.string().meta({ description: 'UTC day, yyyy-mm-dd.' }),
    ...Object.fromEntries(JOB_KINDS.map((k) => [k, outcomes])),
  } as { date: z.ZodString } & Record<(typeof JOB_KINDS)[number], typeof outcomes>)
  .meta({ title: 'OverviewDay' });

export const overviewViewSchema = z
  .object({
    plans: z
      .object({ compliant: z.number().int(), late: z.number().int(), unprotected: z.number().int() })
      .meta({ description: 'Live plans by their compliance status, as the plan views judge it (docs/decisions.md §20).' }),
    jobs_running: z.number().int().meta({ description: 'Checkpoints, restores and verifications in their active status.' }),
    last_24h: outcomes,
    days: z.array(daySchema).meta({ description: 'The last 30 UTC days, oldest first, today last: jobs finished per kind and outcome.' }),
    bank_bytes: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Bytes the bank holds, as protects recorded them and deletes took them off; null before any did.' }),
  })
  .meta({
    title: 'Overview',
    description: '`last_24h`: jobs finished in this hour and the 23 before it, by outcome.',
    'x-karbor-extension': true,
  });

export const overviewResponse = z.object({ overview: overviewViewSchema });

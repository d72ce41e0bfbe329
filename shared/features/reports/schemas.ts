import * as z from 'zod';
import type { ListRules } from '../../kernel/list-options';
import { listQuery, projectPath } from '../../kernel/schemas';
import { pageSchema } from '../../http/links';

/** Request and response schemas of reports (an extension, docs/decisions.md §22). */

export const reportPath = projectPath.extend({ report_id: z.string() });

const time = (description: string) => z.string().optional().meta({ description });

/** `POST /reports`: every field optional (the last day, the caller's project). */
export const createReportBody = z.strictObject({
  report: z.strictObject({
    since: time('ISO 8601; jobs that started at or after it (default: a day before until).'),
    until: time('ISO 8601; jobs that started at or before it (default: now). At most 31 days after since.'),
    all_projects: z.boolean().optional().meta({ description: 'Admins: every project (default false).' }),
  }),
});

export const reportViewSchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    all_projects: z.boolean(),
    since: z.string(),
    until: z.string(),
    created_at: z.string(),
    job_count: z.number().int(),
    plan_count: z.number().int(),
    links_expire_at: z.string(),
    links: z.array(z.object({ rel: z.string(), href: z.string() })),
  })
  .meta({ title: 'Report' });

export const reportResponse = z.object({ report: reportViewSchema });

/** `GET /reports`: the project's reports by id, without links (show one for its links). */
export const reportListRules = { sortKeys: 'any', memberFilters: [] } as const satisfies ListRules;
export const reportListQuery = listQuery(reportListRules);
export const reportSummarySchema = reportViewSchema.omit({ links: true, links_expire_at: true }).meta({ title: 'ReportSummary' });
export const reportPageResponse = pageSchema('reports', reportSummarySchema);

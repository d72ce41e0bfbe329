import * as z from 'zod';
import type { ListRules } from './list-options';

/** Every v1 path carries the project; route() has already checked it against the token. */
export const projectPath = z.object({ project_id: z.string() });

/** A query string as API Gateway hands it over; list rules are applied by the domain. */
export const queryStrings = z.record(z.string(), z.string());

const optionalString = (description: string) => z.string().optional().meta({ description });

/**
 * A list's query as API Gateway hands it over (strings), naming the
 * parameters its rules read (for the OpenAPI document); any other key is
 * kept as a string and dropped by the list rules, as Karbor does.
 */
export const listQuery = (rules: ListRules) => {
  const filters = [...rules.memberFilters, ...(rules.adminFilters ?? []).map((f) => `${f} (admin)`)];
  const shape: Record<string, z.ZodOptional<z.ZodString>> = {
    limit: optionalString('Page size, at most and by default 1000.'),
    marker: optionalString('The id of the last item of the previous page.'),
    sort: optionalString('`key:dir,...` (dir `asc` or `desc`, the default).'),
    sort_key: optionalString('Deprecated form of `sort`.'),
    sort_dir: optionalString('Deprecated form of `sort`.'),
    offset: optionalString('Items to skip after the marker.'),
  };
  if (rules.allTenants) shape.all_tenants = optionalString('Admins: every project (`true`, `1`, ...).');
  for (const f of filters) {
    const name = f.replace(' (admin)', '');
    shape[name] = optionalString(f.endsWith('(admin)') ? 'Filter (admins only). A comma list means any of.' : 'Filter. A comma list means any of.');
  }
  return z.object(shape).catchall(z.string());
};

/** How far a job got (shared/features/jobs/model.ts), for the OpenAPI document. */
const jobProgressSchema = z
  .object({
    resources_total: z.number().int().nullable().meta({ description: 'null while the job does not know yet.' }),
    resources_done: z.number().int(),
    resources_failed: z.number().int(),
    percent: z.number().int().nullable(),
  })
  .meta({ title: 'JobProgress', description: 'Extension: resources done of total.', 'x-karbor-extension': true });

/** Extensions every job view (checkpoint, restore, verification) carries after Karbor's keys. */
export const jobOutcomeFields = {
  status_reason: z.string().nullable().meta({ description: 'Extension: why the job failed, null otherwise.', 'x-karbor-extension': true }),
  progress: jobProgressSchema,
};

/** Per-resource outcome (`<type>#<id>` keys), Karbor's on restores and verifications, an extension on checkpoints. */
export const resourceOutcomeFields = {
  resources_status: z.record(z.string(), z.string()),
  resources_reason: z.record(z.string(), z.string()),
};

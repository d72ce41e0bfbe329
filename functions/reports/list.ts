import { perRuntime } from '../../shared/runtime-host';
import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/kernel/list-options';
import { listReports } from '../../shared/features/reports/use-cases';
import { reportSummaryView } from '../../shared/features/reports/views';
import { reportShowDeps } from '../../shared/features/reports/deps';
import { reportListQuery, reportListRules, reportPageResponse } from '../../shared/features/reports/schemas';
import { projectPath } from '../../shared/kernel/schemas';

const deps = perRuntime(() => reportShowDeps());

/** `GET /v1/{project_id}/reports` (docs/decisions.md §22): the project's reports by id, paged; sort keys are checked, then ignored. */
export const handler = route(
  'reports.list',
  { params: projectPath, query: reportListQuery, response: reportPageResponse },
  async ({ query, identity }) => {
    const options = parseListOptions(query, reportListRules, identity.isAdmin);
    return { items: await listReports(deps(), identity, { limit: options.limit, marker: options.marker }), limit: options.limit };
  },
  presentPage('reports', reportSummaryView, 'reports'),
);

import { perRuntime } from '../../shared/runtime-host';
import { baseUrl } from '../../shared/http/event';
import { route } from '../../shared/http/route';
import { projectPath } from '../../shared/kernel/schemas';
import { createReport } from '../../shared/features/reports/use-cases';
import { reportView } from '../../shared/features/reports/views';
import { reportDeps } from '../../shared/features/reports/deps';
import { createReportBody, reportResponse } from '../../shared/features/reports/schemas';

const deps = perRuntime(() => reportDeps());

export const handler = route(
  'reports.create',
  { params: projectPath, body: createReportBody, response: reportResponse },
  ({ body, identity, event }) =>
    createReport(deps(), identity, { since: body.report.since, until: body.report.until, allProjects: body.report.all_projects }, baseUrl(event)),
  (report) => ({ report: reportView(report) }),
);

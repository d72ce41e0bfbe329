import { perRuntime } from '../../shared/runtime-host';
import { baseUrl } from '../../shared/http/event';
import { route } from '../../shared/http/route';
import { showReport } from '../../shared/features/reports/use-cases';
import { reportView } from '../../shared/features/reports/views';
import { reportShowDeps } from '../../shared/features/reports/deps';
import { reportPath, reportResponse } from '../../shared/features/reports/schemas';

const deps = perRuntime(() => reportShowDeps());

export const handler = route(
  'reports.show',
  { params: reportPath, response: reportResponse },
  ({ params, identity, event }) => showReport(deps(), identity, params.report_id, baseUrl(event)),
  (report) => ({ report: reportView(report) }),
);

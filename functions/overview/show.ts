import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { parseAllTenants } from '../../shared/kernel/list-options';
import { showOverview } from '../../shared/features/overview/use-cases';
import { overviewView } from '../../shared/features/overview/views';
import { overviewDeps } from '../../shared/features/overview/deps';
import { overviewPath, overviewQuery, overviewResponse } from '../../shared/features/overview/schemas';

const deps = perRuntime(() => overviewDeps());

export const handler = route(
  'overview.show',
  { params: overviewPath, query: overviewQuery, response: overviewResponse },
  ({ params, query, identity }) => showOverview(deps(), identity, params.project_id, parseAllTenants(query.all_tenants)),
  (o) => ({ overview: overviewView(o) }),
);

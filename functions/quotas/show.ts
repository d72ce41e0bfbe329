import { showQuota } from '../../shared/domain/quotas';
import { route } from '../../shared/http/route';
import { quotaDeps } from '../../shared/runtime/quotas';
import { quotaPath } from '../../shared/schemas/quotas';

const deps = quotaDeps();

export const handler = route(
  'quotas.show',
  { params: quotaPath },
  async ({ params, identity }) => showQuota(deps, identity, params.target_project_id),
  (limits, { params }) => ({ quota: { ...limits, id: params.target_project_id } }),
);

import { showQuotaDetail } from '../../shared/domain/quotas';
import { route } from '../../shared/http/route';
import { quotaDeps } from '../../shared/runtime/quotas';
import { quotaPath } from '../../shared/schemas/quotas';

const deps = quotaDeps();

export const handler = route(
  'quotas.detail',
  { params: quotaPath },
  async ({ params, identity }) => showQuotaDetail(deps, identity, params.target_project_id),
  (detail, { params }) => ({ quota: { ...detail, id: params.target_project_id } }),
);

import { updateQuota } from '../../shared/domain/quotas';
import { route } from '../../shared/http/route';
import { quotaDeps } from '../../shared/runtime/quotas';
import { quotaPath, updateQuotaBody } from '../../shared/schemas/quotas';

const deps = quotaDeps();

export const handler = route(
  'quotas.update',
  { params: quotaPath, body: updateQuotaBody },
  async ({ params, body }) => updateQuota(deps, params.target_project_id, body.quota),
  // As Karbor: the updated limits without `id`.
  (limits) => ({ quota: limits }),
);

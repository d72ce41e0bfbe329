import { perRuntime } from '../../shared/runtime-host';
import { showQuotaDetail } from '../../shared/features/quotas/use-cases';
import { route } from '../../shared/http/route';
import { quotaDeps } from '../../shared/features/quotas/deps';
import { quotaDetailResponse, quotaPath } from '../../shared/features/quotas/schemas';

const deps = perRuntime(() => quotaDeps());

export const handler = route(
  'quotas.detail',
  { params: quotaPath, response: quotaDetailResponse },
  async ({ params, identity }) => showQuotaDetail(deps(), identity, params.target_project_id),
  (detail, { params }) => ({ quota: { ...detail, id: params.target_project_id } }),
);

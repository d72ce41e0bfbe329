import { perRuntime } from '../../shared/runtime-host';
import { updateQuota } from '../../shared/features/quotas/use-cases';
import { route } from '../../shared/http/route';
import { quotaDeps } from '../../shared/features/quotas/deps';
import { quotaPath, updatedQuotaResponse, updateQuotaBody } from '../../shared/features/quotas/schemas';

const deps = perRuntime(() => quotaDeps());

export const handler = route(
  'quotas.update',
  { params: quotaPath, body: updateQuotaBody, response: updatedQuotaResponse },
  async ({ params, body }) => updateQuota(deps(), params.target_project_id, body.quota),
  // As Karbor: the updated limits without `id`.
  (limits) => ({ quota: limits }),
);

import { perRuntime } from '../../shared/runtime-host';
import { showDefaultQuota } from '../../shared/features/quotas/use-cases';
import { route } from '../../shared/http/route';
import { quotaDeps } from '../../shared/features/quotas/deps';
import { quotaPath, quotaResponse } from '../../shared/features/quotas/schemas';

const deps = perRuntime(() => quotaDeps());

export const handler = route(
  'quotas.defaults',
  { params: quotaPath, response: quotaResponse },
  async ({ params }) => showDefaultQuota(deps(), params.target_project_id),
  (limits, { params }) => ({ quota: { ...limits, id: params.target_project_id } }),
);

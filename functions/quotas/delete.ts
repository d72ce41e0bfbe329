import { perRuntime } from '../../shared/runtime-host';
import { deleteQuota } from '../../shared/features/quotas/use-cases';
import { route } from '../../shared/http/route';
import { EMPTY_BODY } from '../../shared/http/response';
import { quotaDeps } from '../../shared/features/quotas/deps';
import { quotaPath } from '../../shared/features/quotas/schemas';

const deps = perRuntime(() => quotaDeps());

export const handler = route(
  'quotas.delete',
  { params: quotaPath },
  // Removes the overrides only; the usage counters stay (see deleteQuota).
  async ({ params }) => deleteQuota(deps(), params.target_project_id),
  () => EMPTY_BODY,
);

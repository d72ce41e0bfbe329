import { deleteQuota } from '../../shared/domain/quotas';
import { route } from '../../shared/http/route';
import { EMPTY_BODY } from '../../shared/http/response';
import { quotaDeps } from '../../shared/runtime/quotas';
import { quotaPath } from '../../shared/schemas/quotas';

const deps = quotaDeps();

export const handler = route(
  'quotas.delete',
  { params: quotaPath },
  // Removes the overrides only; the usage counters stay (see deleteQuota).
  async ({ params }) => deleteQuota(deps, params.target_project_id),
  () => EMPTY_BODY,
);

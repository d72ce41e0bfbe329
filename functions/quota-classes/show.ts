import { showQuotaClass } from '../../shared/domain/quotas';
import { route } from '../../shared/http/route';
import { quotaDeps } from '../../shared/runtime/quotas';
import { quotaClassPath } from '../../shared/schemas/quotas';

const deps = quotaDeps();

export const handler = route(
  'quotaClasses.show',
  { params: quotaClassPath },
  async ({ params }) => showQuotaClass(deps, params.class_name),
  (limits, { params }) => ({ quota_class: { ...limits, id: params.class_name } }),
);

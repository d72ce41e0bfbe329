import { perRuntime } from '../../shared/runtime-host';
import { showQuotaClass } from '../../shared/features/quotas/use-cases';
import { route } from '../../shared/http/route';
import { quotaDeps } from '../../shared/features/quotas/deps';
import { quotaClassPath, quotaClassResponse } from '../../shared/features/quotas/schemas';

const deps = perRuntime(() => quotaDeps());

export const handler = route(
  'quotaClasses.show',
  { params: quotaClassPath, response: quotaClassResponse },
  async ({ params }) => showQuotaClass(deps(), params.class_name),
  (limits, { params }) => ({ quota_class: { ...limits, id: params.class_name } }),
);

import { perRuntime } from '../../shared/runtime-host';
import { updateQuotaClass } from '../../shared/features/quotas/use-cases';
import { route } from '../../shared/http/route';
import { quotaDeps } from '../../shared/features/quotas/deps';
import { quotaClassPath, updatedQuotaClassResponse, updateQuotaClassBody } from '../../shared/features/quotas/schemas';

const deps = perRuntime(() => quotaDeps());

export const handler = route(
  'quotaClasses.update',
  { params: quotaClassPath, body: updateQuotaClassBody, response: updatedQuotaClassResponse },
  async ({ params, body }) => updateQuotaClass(deps(), params.class_name, body.quota_class),
  // As Karbor: the class's values without `id`.
  (limits) => ({ quota_class: limits }),
);

import { route } from '../../shared/http/route';
import { serviceView, updateService } from '../../shared/features/services/use-cases';
import { serviceStore } from '../../shared/features/services/deps';
import { serviceHost } from '../../shared/features/services/store';
import { servicePath, updateServiceBody } from '../../shared/features/services/schemas';

const deps = { services: serviceStore() };
const host = serviceHost();

export const handler = route(
  'services.update',
  { params: servicePath, body: updateServiceBody },
  async ({ params, body }) => updateService(deps, host, params.service_id, body),
  (service) => ({ service: serviceView(service, new Date()) }),
);

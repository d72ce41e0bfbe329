import { route } from '../../shared/http/route';
import { serviceView, updateService } from '../../shared/domain/services';
import { serviceStore } from '../../shared/runtime/services';
import { serviceHost } from '../../shared/store/services';
import { servicePath, updateServiceBody } from '../../shared/schemas/services';

const deps = { services: serviceStore() };
const host = serviceHost();

export const handler = route(
  'services.update',
  { params: servicePath, body: updateServiceBody },
  async ({ params, body }) => updateService(deps, host, params.service_id, body),
  (service) => ({ service: serviceView(service, new Date()) }),
);

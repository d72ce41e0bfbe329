import { route } from '../../shared/http/route';
import { serviceView } from '../../shared/features/services/views';
import { updateService } from '../../shared/features/services/use-cases';
import { serviceDeps } from '../../shared/features/services/deps';
import { servicePath, serviceResponse, updateServiceBody } from '../../shared/features/services/schemas';

const { host, ...deps } = serviceDeps();

export const handler = route(
  'services.update',
  { params: servicePath, body: updateServiceBody, response: serviceResponse },
  async ({ params, body }) => updateService(deps, host, params.service_id, body),
  (service) => ({ service: serviceView(service, deps.clock.now()) }),
);

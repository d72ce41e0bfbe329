import { route } from '../../shared/http/route';
import { listServices } from '../../shared/features/services/use-cases';
import { serviceView } from '../../shared/features/services/views';
import { serviceDeps } from '../../shared/features/services/deps';
import { serviceQuery, servicesResponse } from '../../shared/features/services/schemas';

const { host, ...deps } = serviceDeps();

export const handler = route(
  'services.list',
  { query: serviceQuery, response: servicesResponse },
  async ({ query }) => listServices(deps, host, { host: query.host, binary: query.binary }),
  (services) => {
    const now = deps.clock.now();
    return { services: services.map((s) => serviceView(s, now)) };
  },
);

import { route } from '../../shared/http/route';
import { listServices, serviceView } from '../../shared/domain/services';
import { serviceStore } from '../../shared/runtime/services';
import { serviceHost } from '../../shared/store/services';
import { serviceQuery } from '../../shared/schemas/services';

const deps = { services: serviceStore() };
const host = serviceHost();

export const handler = route(
  'services.list',
  { query: serviceQuery },
  async ({ query }) => listServices(deps, host, { host: query.host, binary: query.binary }),
  (services) => ({ services: services.map((s) => serviceView(s, new Date())) }),
);

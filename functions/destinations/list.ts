import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { destinationCatalog } from '../../shared/features/destinations/deps';
import { destinationView } from '../../shared/features/destinations/views';
import { destinationsResponse } from '../../shared/features/destinations/schemas';

const catalog = perRuntime(() => destinationCatalog());

export const handler = route(
  'destinations.list',
  { response: destinationsResponse },
  async () => catalog().all(),
  (destinations) => ({ destinations: destinations.map(destinationView) }),
);

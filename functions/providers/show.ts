import { route } from '../../shared/http/route';
import { providerView, showProvider } from '../../shared/domain/providers';
import { providerCatalog } from '../../shared/runtime/providers';
import { providerPath } from '../../shared/schemas/providers';

const catalog = providerCatalog();

export const handler = route(
  'providers.show',
  { params: providerPath },
  async ({ params }) => showProvider(catalog, params.provider_id),
  (provider) => ({ provider: providerView(provider) }),
);

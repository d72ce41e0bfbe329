import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { providerView } from '../../shared/features/providers/views';
import { showProvider } from '../../shared/features/providers/use-cases';
import { providerCatalog } from '../../shared/features/providers/deps';
import { providerPath, providerResponse } from '../../shared/features/providers/schemas';

const catalog = perRuntime(() => providerCatalog());

export const handler = route(
  'providers.show',
  { params: providerPath, response: providerResponse },
  async ({ params }) => showProvider(catalog(), params.provider_id),
  (provider) => ({ provider: providerView(provider) }),
);

import { perRuntime } from '../../shared/runtime-host';
import { listAction, presentPage } from '../../shared/http/links';
import { providerPageResponse } from '../../shared/features/providers/schemas';
import { route } from '../../shared/http/route';
import { listProviders } from '../../shared/features/providers/use-cases';
import { providerListRules } from '../../shared/features/providers/model';
import { providerView } from '../../shared/features/providers/views';
import { providerCatalog } from '../../shared/features/providers/deps';
import { listQuery } from '../../shared/kernel/schemas';

const catalog = perRuntime(() => providerCatalog());

export const handler = route(
  'providers.list',
  { query: listQuery(providerListRules), response: providerPageResponse },
  listAction(providerListRules, (_identity, options) => listProviders(catalog(), options)),
  presentPage('providers', providerView, 'providers'),
);

import { listAction, presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { listProviders, providerListRules, providerView } from '../../shared/domain/providers';
import { providerCatalog } from '../../shared/runtime/providers';
import { queryStrings } from '../../shared/schemas/common';

const catalog = providerCatalog();

export const handler = route(
  'providers.list',
  { query: queryStrings },
  listAction(providerListRules, (_identity, options) => listProviders(catalog, options)),
  presentPage('providers', providerView, 'providers'),
);

import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/domain/list-options';
import { listProviders, providerListRules, providerView } from '../../shared/domain/providers';
import { providerCatalog } from '../../shared/runtime/providers';
import { queryStrings } from '../../shared/schemas/common';

const catalog = providerCatalog();

export const handler = route(
  'providers.list',
  { query: queryStrings },
  async ({ query, identity }) => {
    const options = parseListOptions(query, providerListRules, identity.isAdmin);
    return { items: listProviders(catalog, options), limit: options.limit };
  },
  presentPage('providers', providerView, 'providers'),
);

import { listAction, presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { listProviders } from '../../shared/features/providers/use-cases';
import { providerListRules } from '../../shared/features/providers/model';
import { providerView } from '../../shared/features/providers/views';
import { providerCatalog } from '../../shared/features/providers/deps';
import { queryStrings } from '../../shared/kernel/schemas';

const catalog = providerCatalog();

export const handler = route(
  'providers.list',
  { query: queryStrings },
  listAction(providerListRules, (_identity, options) => listProviders(catalog, options)),
  presentPage('providers', providerView, 'providers'),
);

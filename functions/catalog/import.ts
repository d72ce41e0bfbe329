import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { catalogImportDeps } from '../../shared/features/catalog/deps';
import { importCatalog } from '../../shared/features/catalog/use-cases';
import { importSummaryView } from '../../shared/features/catalog/views';
import { importCatalogBody, importCatalogResponse } from '../../shared/features/catalog/schemas';

const deps = perRuntime(() => catalogImportDeps());

export const handler = route(
  'catalog.import',
  { body: importCatalogBody, response: importCatalogResponse },
  ({ body, identity }) => importCatalog(deps(), identity, { bank: body.import.bank, allTenants: body.import.all_tenants ?? false }),
  importSummaryView,
);

import { documentClient, tableName } from '../../dynamo/client';
import { systemClock } from '../../kernel/ports';
import { jsonLog } from '../../observability/log';
import { destinationCatalog } from '../destinations/deps';
import { checkpointRecords } from '../protection/deps';
import { type CatalogImportDeps, PRIMARY_BANK } from './model';
import { catalogImportStore } from './store';

/** The import's ports: the records of the runtime's banks (its own and the destinations'), the table. */
export const catalogImportDeps = (): CatalogImportDeps => {
  const destinations = destinationCatalog();
  const records = checkpointRecords();
  return {
    records: (name) => (name === PRIMARY_BANK ? records(undefined) : destinations.get(name) ? records(name) : undefined),
    catalog: catalogImportStore(documentClient(), tableName()),
    clock: systemClock,
    log: jsonLog,
  };
};

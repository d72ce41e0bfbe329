import type { CatalogImportSummary } from './model';

/** The import's answer (./schemas.ts importCatalogResponse). */
export const importSummaryView = (s: CatalogImportSummary) => ({
  import: { bank: s.bank, imported: s.imported, skipped: s.skipped, plans_imported: s.plansImported, unreadable: s.unreadable },
});

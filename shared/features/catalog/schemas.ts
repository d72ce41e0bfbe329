import * as z from 'zod';

/** `POST /v1/{project_id}/catalog/import` (docs/decisions.md §26). */
export const importCatalogBody = z.strictObject({
  import: z.strictObject({
    bank: z.string().min(1).max(255).meta({ description: '`primary` (this stack’s own bank) or the name of a configured destination, whose bank is read.' }),
    all_tenants: z.boolean().optional().meta({ description: 'Every project’s checkpoints, not only this project’s (default false).' }),
  }),
});

// The response body (./views.ts), for the OpenAPI document.

export const catalogImportSchema = z
  .object({
    bank: z.string(),
    imported: z.number().int().meta({ description: 'Checkpoints written into the catalog.' }),
    skipped: z.number().int().meta({ description: 'Checkpoints already in the catalog (never overwritten).' }),
    plans_imported: z.number().int().meta({ description: 'Plans rebuilt from a checkpoint because the catalog had none by that id (suspended).' }),
    unreadable: z.number().int().meta({ description: 'Checkpoint records that could not be read (named in the log).' }),
  })
  .meta({ title: 'CatalogImport', description: 'Extension (docs/decisions.md §26): the catalog import’s summary.', 'x-karbor-extension': true });

export const importCatalogResponse = z.object({ import: catalogImportSchema });

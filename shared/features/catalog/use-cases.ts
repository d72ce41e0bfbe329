import { InvalidInputError } from '../../kernel/errors';
import type { Identity } from '../../kernel/identity';
import type { Checkpoint } from '../checkpoints/model';
import type { Plan } from '../plans/model';
import { type CatalogImportDeps, type CatalogImportRequest, type CatalogImportSummary, IMPORTED_PLAN_DESCRIPTION } from './model';

/** The plan a checkpoint's snapshot of it describes, suspended and marked imported (its plan was not in the catalog). */
const planFromSnapshot = (c: Checkpoint, now: string): Plan => ({
  id: c.planId,
  projectId: c.projectId,
  name: c.protectionPlan.name,
  description: IMPORTED_PLAN_DESCRIPTION,
  providerId: c.providerId,
  status: 'suspended',
  resources: c.protectionPlan.resources.map((r) => ({
    id: r.id,
    type: r.type,
    name: r.name ?? r.id,
    ...(r.extra_info === null ? {} : { extra_info: JSON.parse(r.extra_info) as Record<string, unknown> }),
  })),
  parameters: c.parameters,
  createdAt: now,
  updatedAt: now,
  version: 1,
});

/**
 * Rebuilds the catalog from a bank (docs/decisions.md §26), admin only:
 * 1. the bank by name (`primary` or a configured destination; else 400);
 * 2. every checkpoint record under `checkpoints/` (the bank's paged listing),
 *    the caller's project's only unless `all_tenants`;
 * 3. for each, its plan if the catalog has none by that id (suspended,
 *    marked imported), then the checkpoint item, each a conditional write
 *    that never overwrites: a second import, or one over a catalog that
 *    has them, imports nothing and counts them skipped;
 * 4. a record that cannot be read is counted and logged, never fatal.
 */
export const importCatalog = async (deps: CatalogImportDeps, identity: Identity, request: CatalogImportRequest): Promise<CatalogImportSummary> => {
  const records = deps.records(request.bank);
  if (!records) throw new InvalidInputError(`Invalid input received: The destination ${request.bank} is not configured.`);
  const summary: CatalogImportSummary = { bank: request.bank, imported: 0, skipped: 0, plansImported: 0, unreadable: 0 };
  const now = deps.clock.now().toISOString();
  const plansSeen = new Set<string>();
  for (const key of await records.keys()) {
    const parsed = await records.read(key);
    if (typeof parsed === 'string') {
      summary.unreadable += 1;
      deps.log({ message: 'catalog import: unreadable checkpoint record', bank: request.bank, key, reason: parsed });
      continue;
    }
    if (!request.allTenants && parsed.projectId !== identity.projectId) continue;
    if (!plansSeen.has(parsed.planId)) {
      plansSeen.add(parsed.planId);
      if ((await deps.catalog.importPlan(planFromSnapshot(parsed, now))) === 'imported') summary.plansImported += 1;
    }
    if ((await deps.catalog.importCheckpoint(parsed)) === 'imported') summary.imported += 1;
    else summary.skipped += 1;
  }
  deps.log({ message: 'catalog import finished', ...summary, project_id: identity.projectId, all_tenants: request.allTenants });
  return summary;
};

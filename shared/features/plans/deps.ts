import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import type { ComplianceFleet, JudgedPlanReader, PlanDeps, PlanEditDeps, PlanLookup, PlanVerdicts, ProjectPlanReader } from './model';
import type { ProtectableCheck } from '../protectables/model';
import { complianceFleetStore, planStore, toPlanItem } from './store';
import { judgedPlanReader, planLookup, planVerdictReader, projectPlanReader } from './use-cases';
import { providerCatalog } from '../providers/deps';
import { quotaLimits } from '../quotas/deps';
import { destinationCatalog } from '../destinations/deps';

/** The composition root of the plan functions: built once per Lambda instance. */
export const planDeps = (): PlanDeps => ({
  plans: planStore(documentClient(), tableName()),
  providers: providerCatalog(),
  // The effective limit: the project's override, else the `default` class, else KARBOR_QUOTA_PLANS.
  quota: quotaLimits(),
  destinations: destinationCatalog(),
  clock: systemClock,
  ids: randomIds,
});

/**
 * For create and update, which check the resources against discovery: the
 * handler hands in protectables' check (only they bundle the EC2 and tag
 * lookups, and plans' other readers never reach discovery).
 */
export const planEditDeps = (protectables: ProtectableCheck): PlanEditDeps => ({ ...planDeps(), protectables });

/** What other features read of plans (scheduled operations check one, checkpoints copy its resources). */
export const planLookups = (): PlanLookup => planLookup(planStore(documentClient(), tableName()));

/** A project's plans, for protectables' unprotected list. */
export const projectPlans = (): ProjectPlanReader => projectPlanReader(planStore(documentClient(), tableName()));

/** Every plan with its compliance item, and the evaluator's verdict write (the compliance evaluator). */
export const complianceFleet = (): ComplianceFleet => complianceFleetStore(documentClient(), tableName());

/** Every live plan's compliance status, of a project or of all (the overview). */
export const planVerdicts = (): PlanVerdicts =>
  planVerdictReader(planStore(documentClient(), tableName()), complianceFleetStore(documentClient(), tableName()));

/** Plans with their compliance, a project's or every project's (reports). */
export const judgedPlans = (): JudgedPlanReader =>
  judgedPlanReader({ plans: planStore(documentClient(), tableName()), fleet: complianceFleetStore(documentClient(), tableName()), clock: systemClock });

/** A plan's item as stored, for the catalog import (shared/features/catalog/store.ts, docs/decisions.md §26). */
export const planItem = toPlanItem;

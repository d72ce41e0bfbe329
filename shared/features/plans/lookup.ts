/**
 * What other features need of a plan (the plans feature implements it in
 * shared/features/plans/store.ts): scheduled operations check a plan, checkpoints
 * copy its resources.
 */
interface PlanResource {
  id: string;
  type: string;
  name: string;
  extra_info?: Record<string, unknown> | null;
}

export interface PlanSummary {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  providerId: string;
  status: string;
  resources: PlanResource[];
  /** Plan parameters: `<type>` or `<type>#<id>` to a map of strings. */
  parameters: Record<string, Record<string, string> | null>;
}

export interface PlanLookup {
  /** The live (not deleted) plan of this project, or undefined. */
  getPlan(projectId: string, planId: string): Promise<PlanSummary | undefined>;
}

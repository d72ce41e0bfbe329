import type { Checkpoint } from '../checkpoints/model';
import type { ListRules } from '../../kernel/list-options';
import type { OperationLog } from '../operation-logs/model';
import type { RecordQuery } from '../../kernel/records';
import type { ProviderCatalog } from '../providers/model';
import type { RestoreParameters } from '../restores/model';
import type { Clock, IdGen } from '../../kernel/ports';

/** A verification (docs/contract.md §8.2): Karbor's `verifications` row. */
export interface Verification {
  id: string;
  projectId: string;
  providerId: string;
  checkpointId: string;
  parameters: RestoreParameters;
  status: 'in_progress' | 'success' | 'fail';
  resourcesStatus: Record<string, string>;
  resourcesReason: Record<string, string>;
  createdAt: string;
  errorReason?: string;
}

export type VerificationQuery = RecordQuery<Verification>;

export interface VerificationStore {
  /** Writes the verification and its operation log together. */
  create(v: Verification, log?: OperationLog): Promise<void>;
  get(id: string): Promise<Verification | undefined>;
  list(q: VerificationQuery): Promise<Verification[]>;
}

export interface VerificationDeps {
  verifications: VerificationStore;
  checkpoints: { get(id: string): Promise<Checkpoint | undefined> };
  providers: ProviderCatalog;
  clock: Clock;
  ids: IdGen;
}

export const verificationListRules: ListRules = {
  sortKeys: ['created_at', 'id'],
  memberFilters: ['status'],
  adminFilters: ['id', 'project_id', 'provider_id', 'checkpoint_id'],
  allTenants: true,
};

/** No plugin of this deployment has a verify operation (Karbor's providers expose no verify_schema either). */
export const NO_VERIFY = 'The verify operation is not supported by the plugins of this provider.';

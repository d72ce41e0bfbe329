import { randomUUID } from 'node:crypto';
import type { OperationLog } from '../../shared/features/operation-logs/model';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';

/** A No-Op protect's operation log of `projectId` that started (and ended) at `startedAt`, no plan or checkpoint named. */
export const aProtectLog = (projectId: string, startedAt: string): OperationLog => ({
  id: randomUUID(),
  projectId,
  operationType: 'protect',
  checkpointId: null,
  planId: null,
  providerId: NOOP,
  restoreId: null,
  scheduledOperationId: null,
  status: 'available',
  startedAt,
  endedAt: startedAt,
  errorInfo: null,
  extraInfo: null,
});

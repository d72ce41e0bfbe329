import type { Bank } from '../../kernel/ports';
import type { Checkpoint, CheckpointLock, CheckpointStatus } from '../checkpoints/model';
import { checkpointPrefix } from './bank';
import { resourceKey } from './plugins';
import { flattenGraph, unpackResourceGraph } from './resource-graph';

const graphKeys = (graph: unknown): string[] => {
  if (typeof graph !== 'string') return [];
  try {
    return flattenGraph(unpackResourceGraph(graph)).map(({ resource }) => resourceKey(resource));
  } catch {
    return [];
  }
};

/**
 * The checkpoint's own record in the bank (docs/decisions.md §26): beside
 * its data, in the bank it lives in, `checkpoints/<id>/checkpoint.json`
 * holds what a catalog import needs to write the checkpoint's item again:
 * its project, provider, plan snapshot and parameters, resource graph,
 * extra info, creation time, status, the manifest's digest, and its lock
 * and hold. It is written after the manifest (./bank-manifest.ts) and is not
 * in it: a lock change rewrites it, which must not read as tampering.
 */
export const RECORD_NAME = 'checkpoint.json';

export const recordKey = (checkpointId: string): string => `${checkpointPrefix(checkpointId)}${RECORD_NAME}`;

/** A listed bank key is a checkpoint's record (`checkpoints/<id>/checkpoint.json`, not a resource's object). */
export const isRecordKey = (key: string): boolean => /^checkpoints\/[^/]+\/checkpoint\.json$/.test(key);

interface CheckpointRecord {
  version: 1;
  checkpoint: {
    id: string;
    project_id: string;
    provider_id: string;
    plan_id: string;
    status: CheckpointStatus;
    protection_plan: Checkpoint['protectionPlan'];
    parameters: Checkpoint['parameters'];
    resource_graph: string | null;
    extra_info: Record<string, unknown>;
    created_at: string;
    bank_manifest_digest?: string;
    lock: CheckpointLock | null;
    legal_hold: boolean;
  };
}

/** The record's text of a checkpoint as it is about to be (`status`, `extraInfo` as the job ends it). */
export const recordText = (c: Checkpoint, status: CheckpointStatus, extraInfo: Record<string, unknown> = c.extraInfo, digest = c.bankManifestDigest): string =>
  JSON.stringify({
    version: 1,
    checkpoint: {
      id: c.id,
      project_id: c.projectId,
      provider_id: c.providerId,
      plan_id: c.planId,
      status,
      protection_plan: c.protectionPlan,
      parameters: c.parameters,
      resource_graph: c.resourceGraph,
      extra_info: extraInfo,
      created_at: c.createdAt,
      ...(digest === undefined ? {} : { bank_manifest_digest: digest }),
      lock: c.lock ?? null,
      legal_hold: c.legalHold === true,
    },
  } satisfies CheckpointRecord);

/** Writes the record (one PutObject; the same write again is harmless). */
export const writeCheckpointRecord = (bank: Bank, c: Checkpoint, status: CheckpointStatus, extraInfo?: Record<string, unknown>, digest?: string) =>
  bank.put(recordKey(c.id), recordText(c, status, extraInfo, digest ?? c.bankManifestDigest));

/** Rewrites the lock and hold of a record already there (a lock change); no record (a checkpoint older than records): nothing. */
export const updateRecordLock = async (bank: Bank, checkpointId: string, change: { lock?: CheckpointLock | null; legalHold?: boolean }): Promise<void> => {
  const text = await bank.get(recordKey(checkpointId));
  if (text === undefined) return;
  const record = JSON.parse(text) as CheckpointRecord;
  if (change.lock !== undefined) record.checkpoint.lock = change.lock;
  if (change.legalHold !== undefined) record.checkpoint.legal_hold = change.legalHold;
  await bank.put(recordKey(checkpointId), JSON.stringify(record));
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The checkpoint a record describes, or the reason it cannot be read (an import skips it and counts it). */
export const parseCheckpointRecord = (text: string): Checkpoint | string => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!isObject(parsed) || parsed.version !== 1 || !isObject(parsed.checkpoint)) return 'not a version 1 checkpoint record';
  const c = parsed.checkpoint;
  if (!str(c.id) || !str(c.project_id) || !str(c.provider_id) || !str(c.plan_id) || !str(c.created_at) || !str(c.status)) {
    return 'a required field (id, project_id, provider_id, plan_id, status, created_at) is missing';
  }
  if (!isObject(c.protection_plan) || !Array.isArray(c.protection_plan.resources) || !isObject(c.extra_info)) {
    return 'protection_plan or extra_info is malformed';
  }
  const lock = isObject(c.lock) && (c.lock.mode === 'governance' || c.lock.mode === 'compliance') && str(c.lock.until) ? c.lock : undefined;
  return {
    id: c.id,
    projectId: c.project_id,
    providerId: c.provider_id,
    planId: c.plan_id,
    status: c.status as CheckpointStatus,
    protectionPlan: c.protection_plan as Checkpoint['protectionPlan'],
    parameters: (isObject(c.parameters) ? c.parameters : {}) as Checkpoint['parameters'],
    resourceGraph: typeof c.resource_graph === 'string' ? c.resource_graph : null,
    extraInfo: c.extra_info,
    createdAt: c.created_at,
    ...(str(c.bank_manifest_digest) ? { bankManifestDigest: c.bank_manifest_digest } : {}),
    ...(lock ? { lock: { mode: lock.mode as CheckpointLock['mode'], until: lock.until as string } } : {}),
    ...(c.legal_hold === true ? { legalHold: true } : {}),
    // Every resource of an available checkpoint is available (the record is written as the job ends).
    resourcesStatus: Object.fromEntries(graphKeys(c.resource_graph).map((k) => [k, c.status === 'available' ? 'available' : String(c.status)])),
    resourcesReason: {},
    deadline: c.created_at,
    attempts: 0,
  };
};

import { type Checkpoint, jsonObject, parseTime } from './api';

/** What a copy's extra_info says of it (docs/decisions.md §15): its source, its destination, Karbor's copy_status. */
export interface CopyInfo {
  source?: string;
  destination?: string;
  copyStatus?: string;
}

/** A checkpoint that is a copy (its extra_info has copy_status, a source id or a destination), else undefined. */
export const copyInfo = (c: Pick<Checkpoint, 'extra_info' | 'status'>): CopyInfo | undefined => {
  const x = jsonObject(c.extra_info);
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const info = { source: text(x.source_checkpoint_id), destination: text(x.destination), copyStatus: text(x.copy_status) };
  if (info.source || info.destination || info.copyStatus) return info;
  // A copy as written (wait_copying, copying) before its extra_info is finished is one too.
  return c.status === 'wait_copying' || c.status === 'copying' ? {} : undefined;
};

/** The lock that binds now (the API shows one only while it runs; a lapsed one the page still holds is not). */
export const bindingLock = (c: Pick<Checkpoint, 'lock'>, now = Date.now()) => {
  const until = parseTime(c.lock?.until);
  return c.lock && until !== undefined && until > now ? { ...c.lock, untilMs: until } : undefined;
};

/** Why a checkpoint cannot be deleted now (a running lock or a legal hold, docs/decisions.md §19), else undefined. */
export const deleteRefusal = (c: Pick<Checkpoint, 'lock' | 'legal_hold'>, formatTime: (ms: number) => string, now = Date.now()): string | undefined => {
  const lock = bindingLock(c, now);
  if (lock) return `Locked (${lock.mode}) until ${formatTime(lock.untilMs)}`;
  return c.legal_hold ? 'On legal hold until an admin releases it' : undefined;
};

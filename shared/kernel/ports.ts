import { randomUUID } from 'node:crypto';

/**
 * The ports every feature may use. Adapters live with the feature that owns
 * the service (the bank and the bus in features/protection/adapters).
 */

/** The time source; tests pass a fixed or fake clock. */
export interface Clock {
  now(): Date;
}

/** New ids (uuid v4 in production). */
export interface IdGen {
  newId(): string;
}

/** One structured log line: a message, a level (INFO when absent) and the fields that go with it. */
export interface LogEntry {
  message: string;
  level?: 'INFO' | 'WARN' | 'ERROR';
  [field: string]: unknown;
}

/**
 * The log port: every log line of the functions goes through one
 * (shared/observability/log.ts jsonLog: a JSON object a line, which
 * CloudWatch Logs Insights reads field by field; request lines use
 * Powertools Logger, shared/observability/logger.ts). Tests pass a recorder.
 */
export type Log = (entry: LogEntry) => void;

/** The production clock and ids; tests pass their own. */
export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdGen = { newId: () => randomUUID() };

/**
 * The bank port: where plugins keep a checkpoint's bulk data (S3 on AWS, a
 * directory under the data dir locally). Keys are relative paths such as
 * `checkpoints/<id>/<type>#<resource id>/items-00000.json`.
 */
export interface Bank {
  put(key: string, body: string): Promise<void>;
  /** The object's text, or undefined when it does not exist. */
  get(key: string): Promise<string | undefined>;
  /** Keys under a prefix, in key order. */
  list(prefix: string): Promise<string[]>;
  /** Deletes every key under a prefix (nothing there is fine). */
  deletePrefix(prefix: string): Promise<void>;
}

/** A retention lock on bank objects, in S3 Object Lock's terms (docs/decisions.md §19). */
export interface BankRetention {
  mode: 'governance' | 'compliance';
  /** ISO 8601 time. */
  until: string;
}

/**
 * A bank whose objects can be locked (S3 Object Lock on AWS, retention
 * metadata beside the files locally). Both act on every current object under
 * a prefix (a checkpoint's `checkpoints/<id>/`).
 */
export interface LockableBank extends Bank {
  /** Sets the retention; null lifts a governance one. A running compliance retention is never shortened (the call fails). */
  lock(prefix: string, retention: BankRetention | null): Promise<void>;
  /** Sets or releases the legal hold. */
  hold(prefix: string, on: boolean): Promise<void>;
}

export interface BusEvent {
  detailType: string;
  /** Ids and states only: never secrets. */
  detail: Record<string, unknown>;
}

/** The event publisher port: EventBridge PutEvents on AWS, the in-process bus locally. */
export interface EventPublisher {
  publish(events: BusEvent[]): Promise<void>;
}

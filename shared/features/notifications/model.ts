import { LIFECYCLE_EVENTS } from '../../events/names';
import type { Clock, Log } from '../../kernel/ports';

/**
 * What operators are told of (issue #24 item 7; docs/operations.md
 * "Notifications"): failed jobs, failed verifications and late plans. A
 * project routes the same events from the karbor bus itself.
 */
export const NOTIFIED_EVENTS = [
  LIFECYCLE_EVENTS.checkpointError,
  LIFECYCLE_EVENTS.checkpointErrorDeleting,
  LIFECYCLE_EVENTS.restoreFailed,
  LIFECYCLE_EVENTS.verificationFailed,
  LIFECYCLE_EVENTS.planLate,
] as const;

/** A window of de-duplication: the first event of a kind in it is sent, the others are counted. */
export const NOTIFY_WINDOW_MINUTES = 15;

export interface Notification {
  subject: string;
  message: string;
}

/** Counts the events of one kind in one window (one conditional counter item each). */
export interface NotificationGate {
  /** Adds one to the window's count and answers the count after it (1: the first). */
  count(kind: string, windowStart: string): Promise<number>;
  /** Takes one back (a message that could not be sent: the retry is the first again). */
  uncount(kind: string, windowStart: string): Promise<void>;
  /** The count of a window already past (0 if none came). */
  counted(kind: string, windowStart: string): Promise<number>;
}

export interface NotifyDeps {
  gate: NotificationGate;
  send(notification: Notification): Promise<void>;
  clock: Clock;
  log: Log;
}

/** The event as EventBridge (or the local bus) delivers it. */
export interface NotifiedEvent {
  'detail-type': string;
  detail: Record<string, unknown>;
}

import { NOTIFIED_EVENTS, NOTIFY_WINDOW_MINUTES, type NotifiedEvent, type NotifyDeps } from './model';

const WINDOW_MS = NOTIFY_WINDOW_MINUTES * 60_000;

/** SNS caps an e-mail subject at 100 characters; the topic's display name (the mail's sender) names the stack. */
const subjectOf = (kind: string, detail: Record<string, unknown>) => {
  const project = typeof detail.project_id === 'string' ? ` (project ${detail.project_id})` : '';
  return `Karbor: ${kind}${project}`.slice(0, 100);
};

export type NotifyOutcome = { outcome: 'sent'; count: number; earlier: number } | { outcome: 'counted'; count: number } | { outcome: 'ignored' };

/**
 * Tells operators of one failure, de-duplicated per kind: the first event of
 * a kind in a 15-minute window is sent at once, with how many came in the
 * window before it; the rest of the window's are only counted. So a failing
 * fleet sends at most one message per kind per window, however many jobs
 * fail (docs/operations.md "Notifications").
 */
export const notify = async (deps: NotifyDeps, event: NotifiedEvent): Promise<NotifyOutcome> => {
  const kind = event['detail-type'];
  if (!(NOTIFIED_EVENTS as readonly string[]).includes(kind)) return { outcome: 'ignored' };
  const now = deps.clock.now().getTime();
  const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
  const window = new Date(start).toISOString();
  const count = await deps.gate.count(kind, window);
  if (count > 1) return { outcome: 'counted', count };
  const earlier = Math.max(0, (await deps.gate.counted(kind, new Date(start - WINDOW_MS).toISOString())) - 1);
  const until = new Date(start + WINDOW_MS).toISOString();
  const lines = [
    `${kind}:`,
    '',
    JSON.stringify(event.detail, null, 2),
    '',
    earlier > 0 ? `${earlier} more ${kind} event(s) came in the previous ${NOTIFY_WINDOW_MINUTES} minutes without a message.` : undefined,
    `Further ${kind} events until ${until} are counted, not sent: the operation logs and the karbor bus have every one.`,
  ].filter((l): l is string => l !== undefined);
  try {
    await deps.send({ subject: subjectOf(kind, event.detail), message: lines.join('\n') });
  } catch (error) {
    // Lambda retries the event: it must find itself first again, or the window would send nothing.
    await deps.gate.uncount(kind, window);
    throw error;
  }
  return { outcome: 'sent', count, earlier };
};

import { DEFAULT_FIRE_TRIGGER_CONCURRENCY } from '../../shared/config';
import { semaphore } from '../../shared/kernel/concurrency';
import { cronMatches } from '../../shared/features/triggers/eventbridge-cron';
import type { FireTriggerPayload, TriggerSchedule } from '../../shared/features/triggers/model';
import { LOCAL_SCHEDULES_PART, type LocalScheduleRegistry } from '../../shared/features/triggers/adapters/local-schedules';
import { meterInvocation } from './dynamo-metering';
import type { LocalHost } from './host';
import { lambdaContext } from './http-api-event';

/**
 * The local EventBridge (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html):
 * keeps the rules the EventBridge adapter would have put (the handlers reach
 * it as a part of their runtime's host, shared/features/triggers/adapters/local-schedules.ts),
 * and at every UTC minute invokes the fire-trigger handler for each rule
 * whose cron expression matches, with exactly the JSON the rule's input
 * transformer delivers on AWS, at most `concurrency` at once as the firings
 * queue's event source mapping runs them there (the rest wait their turn, in
 * order). Rules are rebuilt from the stored triggers at start, so a restart
 * keeps them.
 */
export const FIRE_TRIGGER_MODULE = 'functions/scheduler/fire-trigger';

const MINUTE_MS = 60_000;

type FireHandler = (payload: FireTriggerPayload, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

export interface LocalSchedulerOptions {
  /** The runtime whose fire-trigger this invokes and whose trigger handlers put the rules. */
  host: LocalHost;
  /** The stored triggers' schedules (rebuild at start). */
  load: () => Promise<TriggerSchedule[]>;
  log?: (line: string) => void;
  now?: () => Date;
  /** Run the minute timer (tests drive fireMinute themselves when false). */
  timer?: boolean;
  /**
   * Real milliseconds one scheduled minute lasts (default 60000: the UTC
   * minutes). Shorter, the clock plays the coming minutes one after another
   * from the next one, so a test sees a trigger really fire without waiting
   * a minute; fire-trigger accepts an early firing, never a late one.
   */
  minuteMs?: number;
  /**
   * Called at start and every minute: locally this scheduler is the operation
   * engine, so it reports as Karbor's engine does on its poll, not only when
   * a trigger fires.
   */
  heartbeat?: () => Promise<void>;
  /** Called every minute (not at start) with the minute: the workers of shared/workers.ts that run at a fixed rate or daily. */
  everyMinute?: (minute: Date) => Promise<void>;
  /**
   * fire-trigger invocations at once (default: the stack's, DEFAULT_FIRE_TRIGGER_CONCURRENCY), as the
   * firings queue runs them on AWS: unbounded, 10,000 firings of one minute all held their DynamoDB calls at once.
   */
  concurrency?: number;
}

export interface LocalScheduler {
  rules(): TriggerSchedule[];
  /** Fires every rule matching the minute of `at`; resolves when the invocations end. */
  fireMinute(at: Date): Promise<void>;
  /** Stops the minute timer only: rules are still kept, fireMinute still fires (the bench drives minutes itself). */
  stopClock(): void;
  stop(): void;
}

/** EventBridge's `time`: the scheduled minute, `2026-11-25T12:00:00Z`. */
export const eventTime = (minute: Date): string => `${minute.toISOString().slice(0, 19)}Z`;

export const startLocalScheduler = async (opts: LocalSchedulerOptions): Promise<LocalScheduler> => {
  const now = opts.now ?? (() => new Date());
  const rules = new Map<string, TriggerSchedule>();
  for (const s of await opts.load()) rules.set(s.triggerId, s);
  const registry: LocalScheduleRegistry = {
    put: (s) => void rules.set(s.triggerId, s),
    remove: (id) => void rules.delete(id),
  };
  opts.host.parts[LOCAL_SCHEDULES_PART] = registry;
  let handler: FireHandler | undefined;
  const load = (): FireHandler => {
    handler ??= opts.host.load<{ handler: FireHandler }>(FIRE_TRIGGER_MODULE).handler;
    return handler;
  };
  // One bound across minutes: a minute still firing shares it with the next, as the queue does.
  const limit = semaphore(opts.concurrency ?? DEFAULT_FIRE_TRIGGER_CONCURRENCY);
  const beat = () => opts.heartbeat?.().catch((error: unknown) => console.error('local scheduler: heartbeat failed:', error));
  await beat();
  const fireMinute = async (at: Date) => {
    void beat();
    const minute = new Date(Math.floor(at.getTime() / 60000) * 60000);
    void opts.everyMinute?.(minute).catch((error: unknown) => console.error('local scheduler: a periodic worker failed:', error));
    const due = [...rules.values()].filter((r) => cronMatches(r.expression, minute));
    await Promise.all(
      due.map(async (r) => {
        const payload: FireTriggerPayload = { trigger_id: r.triggerId, project_id: r.projectId, time: eventTime(minute) };
        try {
          await limit(() => opts.host.run(() => meterInvocation('scheduler.fireTrigger', () => load()(payload, lambdaContext('scheduler.fireTrigger', 60)))));
          opts.log?.(`fired trigger ${r.triggerId} for ${payload.time}`);
        } catch (error) {
          console.error(`local scheduler: trigger ${r.triggerId}:`, error);
        }
      }),
    );
  };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const minuteMs = opts.minuteMs ?? MINUTE_MS;
  // The next scheduled minute; with real minutes the timer waits for it (+5 ms, to be surely inside it).
  let next = Math.floor(now().getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const arm = () => {
    if (stopped || opts.timer === false) return;
    const delay = minuteMs === MINUTE_MS ? Math.max(0, next - now().getTime()) + 5 : minuteMs;
    timer = setTimeout(() => {
      const minute = next;
      next = minuteMs === MINUTE_MS ? Math.floor(now().getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS : next + MINUTE_MS;
      void fireMinute(new Date(minute));
      arm();
    }, delay);
    timer.unref();
  };
  arm();
  const stopClock = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
  return {
    rules: () => [...rules.values()],
    fireMinute,
    stopClock,
    stop: () => {
      stopClock();
      delete opts.host.parts[LOCAL_SCHEDULES_PART];
    },
  };
};

/** Every stored trigger's schedule, page by page (GSI2, never a Scan). */
export const storedSchedules = async (): Promise<TriggerSchedule[]> => {
  const { triggerStore } = await import('../../shared/features/triggers/deps');
  const { triggerLimits } = await import('../../shared/features/triggers/deps');
  const { storedTriggerSchedule } = await import('../../shared/features/triggers/calendar');
  const store = triggerStore();
  const limits = triggerLimits();
  const out: TriggerSchedule[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await store.list({ limit: 1000, marker, ascending: true });
    for (const t of page) {
      const s = storedTriggerSchedule(t, limits);
      if (s) out.push(s);
    }
    if (page.length < 1000) return out;
    marker = page[page.length - 1].id;
  }
};

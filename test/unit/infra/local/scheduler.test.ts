import path from 'node:path';
import { localHost } from '../../../../infra/local/host';
import { startLocalScheduler } from '../../../../infra/local/scheduler';
import { localScheduleRegistry } from '../../../../shared/features/triggers/adapters/local-schedules';
import { fireLoad, firedPayloads } from '../../../fixtures/local-scheduler/functions/scheduler/fire-trigger';

const ROOT = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'local-scheduler');
const rule = (triggerId: string, expression: string) => ({
  triggerId,
  projectId: 'p1',
  expression,
  windowSeconds: 60,
  start: new Date('2026-01-01T00:00:00Z'),
});

describe('local scheduler', () => {
  let host = localHost({}, ROOT);
  /** The registry as the trigger handlers of the host's runtime reach it. */
  const registry = (on = host) => on.run(() => localScheduleRegistry());

  beforeEach(() => {
    host = localHost({}, ROOT);
    firedPayloads().length = 0;
    jest.useFakeTimers({ now: new Date('2026-11-25T12:00:30Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it("fires, at each minute, the rules whose cron expression matches it, with the rule target's input", async () => {
    // Prepare
    const scheduler = await startLocalScheduler({ host, load: async () => [rule('every', 'cron(* * * * ? *)')] });
    registry()!.put(rule('hourly', 'cron(0 * * * ? *)'));
    // Act
    await jest.advanceTimersByTimeAsync(60_000);
    scheduler.stop();
    // Assess
    expect(firedPayloads()).toEqual([{ trigger_id: 'every', project_id: 'p1', time: '2026-11-25T12:01:00Z' }]);
  });

  it('plays the coming minutes one after another when a minute is shorter (tests)', async () => {
    // Prepare
    const scheduler = await startLocalScheduler({ host, load: async () => [rule('every', 'cron(* * * * ? *)')], minuteMs: 1000 });
    // Act
    await jest.advanceTimersByTimeAsync(3000);
    scheduler.stop();
    // Assess
    expect((firedPayloads() as Array<{ time: string }>).map((p) => p.time)).toEqual(['2026-11-25T12:01:00Z', '2026-11-25T12:02:00Z', '2026-11-25T12:03:00Z']);
  });

  it('keeps its rules and fireMinute once its clock is stopped, and fires nothing by itself', async () => {
    // Prepare
    const scheduler = await startLocalScheduler({ host, load: async () => [] });
    // Act
    scheduler.stopClock();
    registry()!.put(rule('later', 'cron(* * * * ? *)'));
    await jest.advanceTimersByTimeAsync(180_000);
    const byClock = firedPayloads().length;
    await scheduler.fireMinute(new Date('2026-11-25T12:05:10Z'));
    scheduler.stop();
    // Assess
    expect(byClock).toBe(0);
    expect(scheduler.rules().map((r) => r.triggerId)).toEqual(['later']);
    expect(firedPayloads()).toEqual([{ trigger_id: 'later', project_id: 'p1', time: '2026-11-25T12:05:00Z' }]);
    expect(registry()).toBeUndefined();
  });

  it('runs at most its concurrency of fire-trigger invocations at once, the rest in turn, and fires every one', async () => {
    // Prepare: 25 rules due in one minute, each invocation held until the gate opens.
    let open: () => void = () => undefined;
    Object.assign(fireLoad(), { running: 0, most: 0, gate: new Promise<void>((resolve) => (open = resolve)) });
    const due = Array.from({ length: 25 }, (_, i) => rule(`t${i}`, 'cron(* * * * ? *)'));
    const scheduler = await startLocalScheduler({ host, load: async () => due, timer: false, concurrency: 4 });
    // Act
    const minute = scheduler.fireMinute(new Date('2026-11-25T12:05:00Z'));
    await jest.advanceTimersByTimeAsync(10);
    const heldAtOnce = fireLoad().running;
    open();
    await minute;
    scheduler.stop();
    delete fireLoad().gate;
    // Assess
    expect(heldAtOnce).toBe(4);
    expect(fireLoad().most).toBe(4);
    expect((firedPayloads() as Array<{ trigger_id: string }>).map((p) => p.trigger_id).sort()).toEqual(due.map((r) => r.triggerId).sort());
  });

  it("keeps its runtime's rules only: a second runtime's trigger handlers put theirs into its own scheduler", async () => {
    // Prepare
    const other = localHost({}, ROOT);
    const first = await startLocalScheduler({ host, load: async () => [], timer: false });
    const second = await startLocalScheduler({ host: other, load: async () => [], timer: false });
    // Act
    registry()!.put(rule('mine', 'cron(* * * * ? *)'));
    registry(other)!.put(rule('theirs', 'cron(* * * * ? *)'));
    first.stop();
    // Assess
    expect(first.rules().map((r) => r.triggerId)).toEqual(['mine']);
    expect(second.rules().map((r) => r.triggerId)).toEqual(['theirs']);
    expect([registry(), registry(other) !== undefined, localScheduleRegistry()]).toEqual([undefined, true, undefined]);
    second.stop();
  });
});

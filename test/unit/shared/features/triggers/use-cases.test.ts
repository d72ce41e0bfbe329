import type { Identity } from '../../../../../shared/kernel/identity';
import { ConflictError } from '../../../../../shared/kernel/errors';
import type { TriggerSchedule } from '../../../../../shared/features/triggers/model';
import { createTrigger, deleteTrigger, updateTrigger } from '../../../../../shared/features/triggers/use-cases';
import type { Trigger, TriggerDeps } from '../../../../../shared/features/triggers/model';

const ME: Identity = { userId: 'alice', projectId: 'p', roles: [], isAdmin: false };
const ID = '11111111-1111-1111-1111-111111111111';

const fakes = (schedulerFails = false, duringPut: () => void = () => undefined) => {
  const stored = new Map<string, Trigger>();
  const schedules = new Map<string, TriggerSchedule>();
  const deps: TriggerDeps = {
    triggers: {
      create: async (t) => void stored.set(t.id, t),
      get: async (id) => stored.get(id),
      update: async (id, changes, expectedScheduledFrom) => {
        if (expectedScheduledFrom !== undefined && stored.get(id)!.scheduledFrom !== expectedScheduledFrom) {
          throw new ConflictError('changed');
        }
        const next = { ...stored.get(id)!, ...changes };
        stored.set(id, next);
        return next;
      },
      delete: async (id) => void stored.delete(id),
      list: async () => [...stored.values()],
    },
    scheduler: {
      put: async (s) => {
        if (schedulerFails) throw new Error('EventBridge is down');
        schedules.set(s.triggerId, s);
        duringPut();
      },
      remove: async (id) => void schedules.delete(id),
    },
    limits: { minIntervalSeconds: 3600, minWindowSeconds: 900, maxWindowSeconds: 1800 },
    clock: { now: () => new Date('2026-11-25T12:00:07Z') },
    ids: { newId: () => ID },
  };
  return { deps, stored, schedules };
};

const props = { format: 'crontab', pattern: '0 3 * * *' };

describe('triggers', () => {
  it('creates a trigger with the default start_time, string values, and its schedule', async () => {
    // Prepare
    const { deps, schedules } = fakes();
    // Act
    const t = await createTrigger(deps, ME, { name: 'n', type: 'time', properties: { ...props, window: 900 } });
    // Assess
    expect(t.properties).toEqual({ format: 'crontab', pattern: '0 3 * * *', window: '900', start_time: '2026-11-25 12:00:07' });
    expect(schedules.get(ID)).toMatchObject({ projectId: 'p', expression: 'cron(0 3 * * ? *)', windowSeconds: 900 });
  });

  it('leaves nothing behind when the schedule cannot be put', async () => {
    const { deps, stored } = fakes(true);
    await expect(createTrigger(deps, ME, { name: 'n', type: 'time', properties: props })).rejects.toThrow('EventBridge is down');
    expect(stored.size).toBe(0);
  });

  it('puts the old properties back when the new schedule cannot be put', async () => {
    // Prepare
    const ok = fakes();
    const t = await createTrigger(ok.deps, ME, { name: 'n', type: 'time', properties: props });
    const failing = fakes(true);
    failing.stored.set(t.id, t);
    // Act
    const update = updateTrigger(failing.deps, ME, t.id, { properties: { format: 'crontab', pattern: '0 4 * * *', start_time: '2026-01-01 00:00:00' } });
    // Assess
    await expect(update).rejects.toThrow('EventBridge is down');
    expect(failing.stored.get(t.id)?.properties).toEqual(t.properties);
  });

  it('does not touch the schedule for a rename or unchanged properties', async () => {
    const { deps, schedules } = fakes();
    const t = await createTrigger(deps, ME, { name: 'n', type: 'time', properties: props });
    schedules.clear();
    expect((await updateTrigger(deps, ME, t.id, { name: 'm', properties: {} })).name).toBe('m');
    await updateTrigger(deps, ME, t.id, { properties: t.properties });
    expect(schedules.size).toBe(0);
  });

  it('removes the schedule with the trigger', async () => {
    const { deps, schedules, stored } = fakes();
    const t = await createTrigger(deps, ME, { name: 'n', type: 'time', properties: props });
    await deleteTrigger(deps, ME, t.id);
    expect(stored.size).toBe(0);
    expect(schedules.size).toBe(0);
  });

  it('refuses a property change when the trigger changed since it was read (409), leaving the schedule alone', async () => {
    // Prepare
    const { deps, stored, schedules } = fakes();
    const t = await createTrigger(deps, ME, { name: 'n', type: 'time', properties: props });
    const readEarlier = deps.triggers.get;
    deps.triggers.get = async (id) => {
      const seen = await readEarlier(id);
      // Another request writes new properties right after this one has read.
      stored.set(id, { ...stored.get(id)!, properties: { ...props, pattern: '0 4 * * *' }, scheduledFrom: 'later' });
      return seen;
    };
    schedules.clear();
    // Act
    const attempt = updateTrigger(deps, ME, t.id, { properties: { ...t.properties, pattern: '0 5 * * *' } });
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    expect(stored.get(t.id)?.properties.pattern).toBe('0 4 * * *');
    expect(schedules.size).toBe(0);
  });

  it('converges the schedule on the stored properties when a concurrent update lands during its put', async () => {
    // Prepare: while our schedule is being put, another update stores other properties (its put came earlier).
    let raced = false;
    const other = { ...props, pattern: '0 6 * * *' };
    const ctx = fakes(false, () => {
      if (raced || !ctx.stored.size) return;
      raced = true;
      const id = [...ctx.stored.keys()][0];
      ctx.stored.set(id, { ...ctx.stored.get(id)!, properties: { ...ctx.stored.get(id)!.properties, ...other }, scheduledFrom: 'theirs' });
    });
    const t = await createTrigger(ctx.deps, ME, { name: 'n', type: 'time', properties: props });
    raced = false;
    // Act
    await updateTrigger(ctx.deps, ME, t.id, { properties: { ...t.properties, pattern: '0 5 * * *' } });
    // Assess
    expect(ctx.stored.get(t.id)?.properties.pattern).toBe('0 6 * * *');
    expect(ctx.schedules.get(t.id)?.expression).toBe('cron(0 6 * * ? *)');
  });
});

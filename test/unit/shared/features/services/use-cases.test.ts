import { listServices, updateService } from '../../../../../shared/features/services/use-cases';
import type { Service } from '../../../../../shared/features/services/model';
import { serviceView } from '../../../../../shared/features/services/views';

const NOW = new Date('2026-11-25T12:00:00Z');
const clock = { now: () => NOW };

const fakeStore = (rows: Service[] = []) => ({
  rows,
  list: async () => rows,
  report: async () => undefined,
  setDisabled: async (binary: string, host: string, disabled: boolean, reason: string | null, _now: Date) => {
    const row: Service = { id: 2, binary, host, disabled, disabledReason: reason, reportCount: 0, updatedAt: null, createdAt: null };
    rows.push(row);
    return row;
  },
});

describe('services', () => {
  it('lists the three rows with Karbor integer ids, the API up while it answers', async () => {
    // Act
    const services = await listServices({ services: fakeStore(), clock }, 'h', {});
    // Assess
    expect(services.map((s) => serviceView(s, NOW))).toEqual([
      { id: 1, binary: 'karbor-protection', host: 'h', status: 'enabled', state: 'down', updated_at: null, disabled_reason: null },
      { id: 2, binary: 'karbor-operationengine', host: 'h', status: 'enabled', state: 'down', updated_at: null, disabled_reason: null },
      { id: 3, binary: 'karbor-api', host: 'h', status: 'enabled', state: 'up', updated_at: '2026-11-25T12:00:00.000000', disabled_reason: null },
    ]);
  });

  it('is up within three missed heartbeats (180 s) of the last report, down after', () => {
    const row: Service = {
      id: 2,
      binary: 'karbor-operationengine',
      host: 'h',
      disabled: true,
      disabledReason: 'x',
      reportCount: 3,
      updatedAt: '2026-11-25T11:57:01.000Z',
      createdAt: null,
    };
    expect(serviceView(row, NOW)).toMatchObject({ state: 'up', status: 'disabled', disabled_reason: 'x' });
    // A minute's heartbeat late by a minute still reads up: one missed beat is no outage.
    expect(serviceView({ ...row, updatedAt: '2026-11-25T11:58:00.000Z' }, NOW).state).toBe('up');
    expect(serviceView({ ...row, updatedAt: '2026-11-25T11:56:59.000Z' }, NOW).state).toBe('down');
  });

  it('filters by exact host and binary', async () => {
    const services = await listServices({ services: fakeStore(), clock }, 'h', { binary: 'karbor-api', host: 'h' });
    expect(services.map((s) => s.id)).toEqual([3]);
    expect(await listServices({ services: fakeStore(), clock }, 'h', { host: 'elsewhere' })).toEqual([]);
  });

  it("changes only the operation engine, with Karbor's checks", async () => {
    const deps = { services: fakeStore(), clock };
    await expect(updateService(deps, 'h', 'x', { status: 'disabled' })).rejects.toThrow('Service x could not be found.');
    await expect(updateService(deps, 'h', '3', { status: 'disabled' })).rejects.toThrow('Updating a karbor-api service is not supported.');
    await expect(updateService(deps, 'h', '2', { status: 'enabled', disabled_reason: 'r' })).rejects.toThrow(
      "Specifying 'disabled_reason' with status 'enabled' is invalid.",
    );
    expect(await updateService(deps, 'h', '2', { status: 'disabled' })).toMatchObject({ disabled: true, disabledReason: null });
    expect(await updateService(deps, 'h', '2', { status: 'other' })).toMatchObject({ id: 2 });
  });
});

import { loadCalendar } from '../../../../../shared/features/triggers/use-cases';

// A module-load probe: a factory runs when, and only when, something loads that calendar library.
const mockLoads: string[] = [];
jest.mock('rrule', () => {
  mockLoads.push('rrule');
  return jest.requireActual('rrule');
});
jest.mock('cron-parser', () => {
  mockLoads.push('cron-parser');
  return jest.requireActual('cron-parser');
});

const ROUTES = ['create', 'update', 'show', 'list', 'delete'];

// Order matters: the first test proves nothing is loaded yet, the second loads the calendar.
describe('trigger routes (issue #15: the calendar libraries load with the first request that needs them)', () => {
  it('loads every trigger route module without loading rrule or cron-parser', async () => {
    // Act: what a trigger Lambda does at init.
    const handlers = await Promise.all(ROUTES.map(async (r) => (await import(`../../../../../functions/triggers/${r}`)).handler as unknown));
    // Assert
    expect(handlers.every((h) => typeof h === 'function')).toBe(true);
    expect(mockLoads).toEqual([]);
  });

  it('loads them once, on the first loadCalendar, for every caller', async () => {
    // Act
    const [a, b] = await Promise.all([loadCalendar(), loadCalendar()]);
    // Assert
    expect(a).toBe(b);
    expect(a.formatKarborTime(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02 03:04:05');
    expect([...mockLoads].sort()).toEqual(['cron-parser', 'rrule']);
    await loadCalendar();
    expect(mockLoads).toHaveLength(2);
  });
});

import { duration } from '../../../console/src/api';

describe("the operation log's durations (console/src/api.ts)", () => {
  const t0 = Date.parse('2026-12-07T10:00:00Z');
  it('says seconds, minutes and seconds, or hours and minutes', () => {
    expect([duration(t0, t0 + 4_400), duration(t0, t0 + 125_000), duration(t0, t0 + 2 * 3600_000 + 7 * 60_000)]).toEqual(['4 s', '2 min 5 s', '2 h 7 min']);
  });
  it('says running while a running operation has no end, and nothing for one that never recorded its times', () => {
    expect([duration(t0, undefined, true), duration(t0, undefined), duration(undefined, t0)]).toEqual(['running', '—', '—']);
  });
});

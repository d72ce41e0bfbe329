import { nameSortKey } from '../../../../../shared/features/plans/store';

describe('plan store keys', () => {
  it('encodes names so byte order of the key is the order of the names, prefixes first', () => {
    // Prepare
    const names = ['a b', 'a', 'a#', 'A', 'a\u0000', 'a\u0001', 'a\u0002z', 'é', 'b'];
    const key = (n: string) => Buffer.from(`${nameSortKey(n)}\u0001tail`, 'utf8');
    const byName = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    // Act
    const byKey = [...names].sort((x, y) => Buffer.compare(key(x), key(y)));
    // Assess
    expect(byKey).toEqual(byName);
  });

  it('keeps the name part of a sort key within 900 bytes', () => {
    expect(Buffer.byteLength(nameSortKey('€'.repeat(255)), 'utf8')).toBeLessThanOrEqual(900);
    expect(nameSortKey('plain name')).toBe('plain name');
  });
});

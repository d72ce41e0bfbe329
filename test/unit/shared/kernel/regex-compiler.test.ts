import { type ListRules, parseListOptions } from '../../../../shared/kernel/list-options';
import { regexCompilerFor } from '../../../../shared/kernel/regex-compiler';

// A module-load probe: the factory runs when, and only when, something loads the RE2 engine.
const mockLoads: string[] = [];
jest.mock('re2js', () => {
  mockLoads.push('re2js');
  return jest.requireActual('re2js');
});

const RULES: ListRules = { sortKeys: ['created_at'], memberFilters: ['name'] };

// Order matters: the first test proves the engine is not loaded yet, the second loads it.
describe('regexCompilerFor (issue #15: a list loads the regex engine only for a filter)', () => {
  it('does not load RE2 for a list without filters', async () => {
    // Act
    const compile = await regexCompilerFor(parseListOptions({ limit: '10' }, RULES, false));
    // Assert
    expect(mockLoads).toEqual([]);
    expect(() => compile('name', 'a')).toThrow('a list request without filters compiled one');
  });

  it('loads RE2 once for lists with a filter, and its compiler matches and refuses as regex-filter.ts does', async () => {
    // Act
    const first = await regexCompilerFor(parseListOptions({ name: '^pl.n$' }, RULES, false));
    const second = await regexCompilerFor(parseListOptions({ name: 'x' }, RULES, false));
    // Assert
    expect(first('name', '^pl.n$')('plan')).toBe(true);
    expect(first('name', '^pl.n$')('plans')).toBe(false);
    expect(() => second('name', '(a)\\1')).toThrow(/not a valid RE2 regular expression/);
    expect(mockLoads).toEqual(['re2js']);
  });
});

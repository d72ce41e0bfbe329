import { InvalidInputError } from '../../../../shared/kernel/errors';
import { compileRegexFilter, MAX_REGEX_PROGRAM } from '../../../../shared/kernel/regex-filter';

describe('regex filters on RE2', () => {
  it.each([
    ['(a|a)*$', true],
    ['(a|aa)+$', false],
    ['a*a*a*a*a*a*a*$', true],
    ['(a+)+$', false],
    ['(\\w+)*x', false],
  ])('runs %s, exponential for a backtracking engine, on 40 a and a bang', (source, expected) => {
    // Prepare
    const name = `${'a'.repeat(40)}!`;
    // Act
    const matches = compileRegexFilter('name', source)(name);
    // Assess
    expect(matches).toBe(expected);
  });

  it('searches unanchored, with RE2 syntax and flags', () => {
    expect(compileRegexFilter('name', 'ily-')('daily-1')).toBe(true);
    expect(compileRegexFilter('name', '^ily')('daily')).toBe(false);
    expect(compileRegexFilter('name', '(?i)^DAILY\\d{2}$')('daily42')).toBe(true);
    expect(compileRegexFilter('name', '[[:alpha:]]+-é')('nuit-é')).toBe(true);
  });

  it.each(['(a)\\1', '(?=a)b', '(?<!a)b', '(', '[a', 'a{2,1}', '*'])('refuses %s with a 400 naming RE2', (source) => {
    expect(() => compileRegexFilter('description', source)).toThrow(
      new InvalidInputError(
        `Invalid input received: The filter description '${source}' is not a valid RE2 regular expression (no backreferences or lookaround).`,
      ),
    );
  });

  it('refuses a program too large to run cheaply on every item, and accepts one just under', () => {
    expect(() => compileRegexFilter('name', '.{1000}'.repeat(3))).toThrow(`over ${MAX_REGEX_PROGRAM} RE2 instructions`);
    expect(compileRegexFilter('name', 'a{1000}')('a'.repeat(1000))).toBe(true);
  });
});

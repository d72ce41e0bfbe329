import { hasNestedRepetition } from '../../../../shared/kernel/regex-filter';
import { regexMatch } from '../../../../shared/kernel/regex-filter';

describe('regex filters that could backtrack for too long', () => {
  it.each(['(a+)+$', '(a*)*b', '(\\w+)*x', '([a-z]+)+!', '(a{2,})+', '(x|a+){3,}', '((ab)+c)*', '(?:\\d+\\.)+$', '((a)+)*'])(
    'finds a repeated repetition in %s',
    (source) => {
      expect(hasNestedRepetition(source)).toBe(true);
    },
  );

  it.each(['plan', '^daily-.*$', 'a+b+c*', '(ab)+', '(a+)?', '(a+)', '[(a+)]+', '\\(a+\\)+', '(a{1})+', '(a{0,1})*', '(foo|bar)*', 'x{2}(y)+'])(
    'lets %s through',
    (source) => {
      expect(hasNestedRepetition(source)).toBe(false);
    },
  );

  it('makes the trigger and operation filters match such a pattern literally, at once', () => {
    // Prepare: exponential for a backtracking engine if it were run as a regex.
    const name = `${'a'.repeat(40)}!`;
    // Act
    const plain = regexMatch('(a+)+$', name);
    const literal = regexMatch('(a+)+$', 'x(a+)+$y');
    // Assess
    expect(plain).toBe(false);
    expect(literal).toBe(true);
  });
});

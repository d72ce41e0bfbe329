/**
 * User-supplied regex filters (plan, trigger and scheduled-operation lists)
 * run on JavaScript's backtracking engine. A repetition inside a repeated
 * group, such as `(a+)+$` or `(\w*)*x`, can take exponential time on a short
 * string: one request would hold its Lambda until the timeout. Such a
 * pattern is refused before anything is read. This catches the classic
 * nested-quantifier family only, not every slow pattern (overlapping
 * alternatives like `(a|a)*` pass).
 */

/** A quantifier that repeats more than once: `*`, `+`, `{n,}`, `{n,m}` with m > 1. */
const repeatsAt = (source: string, i: number): boolean => {
  const c = source[i];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  const m = /^\{(\d*)(,(\d*))?\}/.exec(source.slice(i));
  if (!m || (m[1] === '' && m[3] === undefined)) return false;
  if (m[2] === undefined) return Number(m[1]) > 1;
  return m[3] === '' || Number(m[3]) > 1;
};

/** True when a repeated group contains a repetition (star height above 1). */
export const hasNestedRepetition = (source: string): boolean => {
  // For each open group: whether something inside it repeats.
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') {
      // An escaped atom (\d, \(, \u00e9...) may itself be repeated.
      i += 1;
      if (repeatsAt(source, i + 1) && groups.length > 0) groups[groups.length - 1] = true;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        if (repeatsAt(source, i + 1) && groups.length > 0) groups[groups.length - 1] = true;
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      // `[]...]` and `[^]...]`: a leading `]` is a literal.
      if (source[i + 1] === '^') i += 1;
      if (source[i + 1] === ']') i += 1;
      continue;
    }
    if (c === '(') {
      groups.push(false);
      continue;
    }
    if (c === ')') {
      const innerRepeats = groups.pop() ?? false;
      const groupRepeats = repeatsAt(source, i + 1);
      if (groupRepeats && innerRepeats) return true;
      if ((groupRepeats || innerRepeats) && groups.length > 0) groups[groups.length - 1] = true;
      continue;
    }
    if (repeatsAt(source, i) && groups.length > 0) groups[groups.length - 1] = true;
  }
  return false;
};

/**
 * Karbor's regex filter: unanchored search. An invalid expression, or one
 * that could backtrack for too long (hasNestedRepetition), matches literally.
 */
export const regexMatch = (pattern: string, value: string): boolean => {
  if (hasNestedRepetition(pattern)) return value.includes(pattern);
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return value.includes(pattern);
  }
};

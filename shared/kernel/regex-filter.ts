import { RE2JS } from 're2js';
import { InvalidInputError } from './errors';
import type { RegexCompiler } from './list-options';

/**
 * User-supplied regex filters (plan, trigger and scheduled-operation lists)
 * run on RE2 (`re2js`): matching time is linear in the text times the
 * program's size, whatever the pattern, so no pattern can hold a Lambda.
 * RE2 has no backreferences or lookaround; such a pattern is a 400, as is
 * invalid syntax. Only regex-compiler.ts imports this module (it is ~150 KB
 * of bundle), on a list request's first filter; use cases receive it as a RegexCompiler.
 */

/**
 * Most RE2 instructions a filter may compile to. Matching costs up to one
 * step per instruction per character, so this bounds the cost per item;
 * `a{1000}` fits, `.{1000}` written ten times does not.
 */
export const MAX_REGEX_PROGRAM = 2000;

/** Karbor's regex filter (unanchored search), compiled once: a 400 before anything is read when RE2 cannot run it. */
export const compileRegexFilter: RegexCompiler = (filter, source) => {
  let re: ReturnType<typeof RE2JS.compile>;
  try {
    re = RE2JS.compile(source);
  } catch {
    throw new InvalidInputError(
      `Invalid input received: The filter ${filter} '${source}' is not a valid RE2 regular expression (no backreferences or lookaround).`,
    );
  }
  if (re.programSize() > MAX_REGEX_PROGRAM) {
    throw new InvalidInputError(
      `Invalid input received: The regular expression for filter ${filter} is too large (over ${MAX_REGEX_PROGRAM} RE2 instructions).`,
    );
  }
  return (value) => re.matcher(value).find();
};

import { lazily } from './lazy';
import type { ListOptions, RegexCompiler } from './list-options';

// RE2 (regex-filter.ts, about 150 KB of bundle) is imported on the first request with a filter (issue #15: cold start).
const engine = lazily(() => import('./regex-filter'));

const NO_FILTERS: RegexCompiler = () => {
  throw new Error('a list request without filters compiled one');
};

/** The regex compiler a list request needs; a list without filters never loads the regex engine. */
export const regexCompilerFor = async (options: ListOptions): Promise<RegexCompiler> =>
  Object.keys(options.filters).length === 0 ? NO_FILTERS : (await engine()).compileRegexFilter;

import type { Log } from '../kernel/ports';

/**
 * The log port's implementation (kernel/ports.ts Log): one JSON object a
 * line, `level` first; ERROR to stderr, the rest to stdout. No library: the
 * job functions that log this way do not load Powertools Logger at init.
 */
export const jsonLog: Log = (entry) => {
  const line = JSON.stringify({ level: entry.level ?? 'INFO', ...entry });
  if (entry.level === 'ERROR') console.error(line);
  else console.log(line);
};

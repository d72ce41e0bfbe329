import { setRequestLogHook } from '../../shared/observability/logger';

/**
 * The code under test logs JSON lines as it would on Lambda (the protection
 * worker's progress, every firing, one line per request); in a test run they
 * drown the report. They are dropped unless TEST_LOGS=1; a test that asserts
 * on a log line spies on console.log, which still works, or passes its own
 * log to the middleware.
 */
if (process.env.TEST_LOGS !== '1') {
  console.log = () => undefined;
  // Powertools Logger writes to stdout itself, past console.log.
  setRequestLogHook(() => undefined);
}

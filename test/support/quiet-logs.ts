/**
 * The code under test logs JSON lines as it would on Lambda (the protection
 * worker's progress, every firing); in a test run they drown the report.
 * They are dropped unless TEST_LOGS=1; a test that asserts on a log line
 * spies on console.log, which still works.
 */
if (process.env.TEST_LOGS !== '1') console.log = () => undefined;

/**
 * The test run's environment is its own: whatever KARBOR_*, PORT, AWS_*,
 * DYNAMODB_*, OS_* (the karbor CLI's) or stack variables the user has
 * exported (the README's demo suggests some), the tests see none of them.
 * The global setups scrub the jest process before its workers start, so the
 * workers and every process a test spawns inherit the clean environment.
 */
const SCRUBBED = /^(KARBOR_|AWS_|DYNAMODB_|OS_|BENCH_|CDK_)/;
const SCRUBBED_NAMES = new Set([
  'PORT',
  'TABLE_NAME',
  'EVENT_BUS_NAME',
  'BANK_BUCKET',
  'KEYSTONE_URL',
  'FIRE_TRIGGER_ARN',
  'SCHEDULER_ROLE_ARN',
  'SCHEDULE_GROUP',
]);

/** Settings of the test run itself (CI's KARBOR_REQUIRE_EMULATOR=1, test/support/moto.ts): kept. */
const TEST_RUN_NAMES = new Set(['KARBOR_REQUIRE_EMULATOR']);

/** Whether a variable belongs to the user's setup rather than to the test run. */
export const isScrubbed = (name: string): boolean => !TEST_RUN_NAMES.has(name) && (SCRUBBED.test(name) || SCRUBBED_NAMES.has(name));

/** Removes every such variable from `env` (in place), and returns what it removed. */
export const scrubEnv = (env: NodeJS.ProcessEnv = process.env): string[] => {
  const removed = Object.keys(env).filter(isScrubbed);
  for (const name of removed) delete env[name];
  // Node 20 is our local runtime and the SDK is pinned by the lock file: its Node 22 notice is noise here.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return removed;
};

import { isScrubbed, scrubEnv } from '../../support/hermetic-env';

describe('hermetic-env', () => {
  it('runs every test without the variables a user may have exported', () => {
    // Assess: the global setup scrubbed the run before this worker started.
    expect(
      // Set by code the tests load, not by the user: the SDK's warning switch and Powertools' user agent (its commons sets it on import).
      Object.keys(process.env).filter(
        (k) => isScrubbed(k) && !['DYNAMODB_ENDPOINT', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'AWS_SDK_UA_APP_ID'].includes(k),
      ),
    ).toEqual([]);
  });

  it('removes the Karbor, AWS, CLI and stack settings and keeps the rest', () => {
    // Prepare
    const env: NodeJS.ProcessEnv = {
      KARBOR_MIN_INTERVAL_SECONDS: '60',
      PORT: '8123',
      AWS_PROFILE: 'prod',
      OS_AUTH_URL: 'x',
      TABLE_NAME: 't',
      PATH: '/bin',
      HOME: '/root',
      FUZZ_SEED: '42',
      FUZZ_RUNS: '10000',
    };
    // Act
    const removed = scrubEnv(env);
    // Assess
    expect(removed.sort()).toEqual(['AWS_PROFILE', 'KARBOR_MIN_INTERVAL_SECONDS', 'OS_AUTH_URL', 'PORT', 'TABLE_NAME']);
    // The fuzzer's settings are the test run's own (npm run fuzz sets them).
    expect(env).toEqual({ PATH: '/bin', HOME: '/root', FUZZ_SEED: '42', FUZZ_RUNS: '10000', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  });
});

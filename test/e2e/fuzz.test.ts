import { fuzzSettings, runFuzz } from '../fuzz/runner';
import { startTestServer, type TestServer } from '../support/local-server';

/**
 * A few hundred generated and mutated requests over every route of the route
 * table (test/fuzz/): no 5xx, every 4xx a Karbor fault, the server alive
 * after each batch, lists consistent with shows. `npm run fuzz` runs 10,000;
 * a failure prints the seed to replay it with (FUZZ_SEED=... npm run fuzz).
 */
const settings = fuzzSettings(300);

describe('fuzz: every route on the local server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it(
    `keeps every invariant over ${settings.requests} requests (seed ${settings.seed})`,
    async () => {
      // Act
      const result = await runFuzz(server, settings);
      // Assess
      expect(result.failure).toBeUndefined();
      // A replay of one counterexample path sends that batch only.
      expect(result.requests).toBeGreaterThanOrEqual(settings.path ? 1 : settings.requests);
    },
    // About 10 ms a request on a loaded machine, with room for the set-up and the end checks.
    60_000 + settings.requests * 50,
  );
});

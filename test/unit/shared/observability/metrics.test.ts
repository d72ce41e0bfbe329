import { OUTCOME_METRICS } from '../../../../shared/observability/names';

/** The EMF lines countOutcome prints on Lambda: what CloudWatch turns into the metrics infra/constructs/monitoring.ts graphs. */
describe('countOutcome', () => {
  const saved = { ...process.env };
  let out: string[];
  beforeEach(() => {
    out = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });
  const load = () => {
    let mod!: typeof import('../../../../shared/observability/metrics');
    jest.isolateModules(() => {
      mod = require('../../../../shared/observability/metrics');
    });
    return mod;
  };

  it.each(OUTCOME_METRICS.ScheduledRuns.map((o) => [o]))('prints one EMF line for a scheduled run that %s, by service and outcome', (outcome) => {
    // Prepare: what Lambda and the stack set
    Object.assign(process.env, { AWS_LAMBDA_FUNCTION_NAME: 'fire', POWERTOOLS_SERVICE_NAME: 'Prod', POWERTOOLS_METRICS_NAMESPACE: 'Karbor' });
    // Act
    load().countOutcome('ScheduledRuns', outcome);
    // Assess
    const lines = out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'Prod', outcome, ScheduledRuns: 1 });
    expect(lines[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Karbor',
      Dimensions: [expect.arrayContaining(['service', 'outcome'])],
      Metrics: [{ Name: 'ScheduledRuns', Unit: 'Count' }],
    });
  });

  it('prints nothing off Lambda', () => {
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    load().countOutcome('ScheduledRuns', 'ran');
    expect(out).toEqual([]);
  });
});

import path from 'node:path';
import { meteredInvocations, meterInvocation } from '../../../../infra/local/dynamo-metering';
import { startLocalEventBus } from '../../../../infra/local/event-bus';
import { localEventPublisher } from '../../../../shared/events/local-bus';
import { flakyState } from '../../../fixtures/local-bus/flaky-worker';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const WORKER = {
  id: 'flaky',
  module: 'test/fixtures/local-bus/flaky-worker',
  access: 'read' as const,
  source: { kind: 'bus' as const, detailTypes: ['Thing Requested'] },
};

describe('local event bus', () => {
  beforeEach(() => {
    Object.assign(flakyState(), { failures: 0, calls: [] });
  });

  it('delivers an event to the workers of its detail-type as an EventBridge event, and logs it', async () => {
    // Prepare
    const lines: string[] = [];
    const bus = startLocalEventBus({ moduleRoot: ROOT, workers: [WORKER], log: (l) => lines.push(l) });
    // Act
    await localEventPublisher().publish([
      { detailType: 'Thing Requested', detail: { id: 'x' } },
      { detailType: 'Other', detail: {} },
    ]);
    await bus.stop();
    // Assess
    expect(flakyState().calls).toEqual([expect.objectContaining({ source: 'karbor', 'detail-type': 'Thing Requested', detail: { id: 'x' }, version: '0' })]);
    expect(lines.map((l) => JSON.parse(l)['detail-type'])).toEqual(['Thing Requested', 'Other']);
  });

  it('retries a failed delivery twice, as Lambda does for asynchronous invocations', async () => {
    // Prepare
    flakyState().failures = 5;
    const lines: string[] = [];
    const bus = startLocalEventBus({ moduleRoot: ROOT, workers: [WORKER], log: (l) => lines.push(l), retryDelayMs: 1 });
    // Act
    await localEventPublisher().publish([{ detailType: 'Thing Requested', detail: {} }]);
    await bus.idle();
    await bus.stop();
    // Assess
    expect(flakyState().calls).toHaveLength(3);
    expect(lines.filter((l) => l.includes('"error"')).map((l) => JSON.parse(l).attempt)).toEqual([1, 2, 3]);
  });

  it('refuses to publish once stopped', async () => {
    // Prepare
    const bus = startLocalEventBus({ moduleRoot: ROOT, workers: [WORKER] });
    await bus.stop();
    // Act / Assess
    await expect(localEventPublisher().publish([{ detailType: 'Thing Requested', detail: {} }])).rejects.toThrow('the local event bus is not running');
  });

  it('meters (npm run bench) each delivery under its worker and detail-type, and each event on its publisher', async () => {
    // Prepare
    process.env.KARBOR_DYNAMO_METER = '1';
    meteredInvocations().length = 0;
    const bus = startLocalEventBus({ moduleRoot: ROOT, workers: [WORKER] });
    try {
      // Act
      await meterInvocation('checkpoints.create', () => localEventPublisher().publish([{ detailType: 'Thing Requested', detail: {} }]));
      await bus.idle();
      // Assess
      expect(meteredInvocations().map(({ label, events }) => ({ label, events }))).toEqual([
        { label: 'checkpoints.create', events: 1 },
        { label: 'flaky (Thing Requested)', events: 0 },
      ]);
    } finally {
      await bus.stop();
      delete process.env.KARBOR_DYNAMO_METER;
      meteredInvocations().length = 0;
    }
  });
});

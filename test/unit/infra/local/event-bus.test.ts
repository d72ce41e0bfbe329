import path from 'node:path';
import { meteredInvocations, meterInvocation } from '../../../../infra/local/dynamo-metering';
import { startLocalEventBus } from '../../../../infra/local/event-bus';
import { localHost } from '../../../../infra/local/host';
import { localEventPublisher } from '../../../../shared/events/publisher';
import { flakyState } from '../../../fixtures/local-bus/flaky-worker';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const WORKER = {
  id: 'flaky',
  module: 'test/fixtures/local-bus/flaky-worker',
  access: 'read' as const,
  source: { kind: 'bus' as const, detailTypes: ['Thing Requested'] },
};

describe('local event bus', () => {
  let host = localHost({}, ROOT);
  /** Publishes as a handler of the host's runtime does. */
  const publish = (events: Parameters<ReturnType<typeof localEventPublisher>['publish']>[0], on = host) => on.run(() => localEventPublisher().publish(events));

  beforeEach(() => {
    Object.assign(flakyState(), { failures: 0, calls: [] });
    host = localHost({}, ROOT);
  });

  it('delivers an event to the workers of its detail-type as an EventBridge event, and logs it', async () => {
    // Prepare
    const lines: string[] = [];
    const bus = startLocalEventBus({ host, workers: [WORKER], log: (l) => lines.push(l) });
    // Act
    await publish([
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
    const bus = startLocalEventBus({ host, workers: [WORKER], log: (l) => lines.push(l), retryDelayMs: 1 });
    // Act
    await publish([{ detailType: 'Thing Requested', detail: {} }]);
    await bus.idle();
    await bus.stop();
    // Assess
    expect(flakyState().calls).toHaveLength(3);
    expect(lines.filter((l) => l.includes('"error"')).map((l) => JSON.parse(l).attempt)).toEqual([1, 2, 3]);
  });

  it("is its runtime's bus only: a second runtime's handlers publish to their own, and one outside any runtime reaches none", async () => {
    // Prepare
    const other = localHost({}, ROOT);
    const lines: string[] = [];
    const otherLines: string[] = [];
    const bus = startLocalEventBus({ host, workers: [WORKER], log: (l) => lines.push(l) });
    const otherBus = startLocalEventBus({ host: other, workers: [WORKER], log: (l) => otherLines.push(l) });
    // Act
    await publish([{ detailType: 'Thing Requested', detail: { on: 'first' } }]);
    await publish([{ detailType: 'Other', detail: { on: 'second' } }], other);
    const outside = expect(localEventPublisher().publish([{ detailType: 'Thing Requested', detail: {} }])).rejects.toThrow(
      'the local event bus is not running',
    );
    await bus.stop();
    await otherBus.stop();
    // Assess
    expect(lines.map((l) => JSON.parse(l).detail)).toEqual([{ on: 'first' }]);
    expect(otherLines.map((l) => JSON.parse(l).detail)).toEqual([{ on: 'second' }]);
    await outside;
  });

  it('refuses to publish once stopped', async () => {
    // Prepare
    const bus = startLocalEventBus({ host, workers: [WORKER] });
    await bus.stop();
    // Act / Assess
    await expect(publish([{ detailType: 'Thing Requested', detail: {} }])).rejects.toThrow('the local event bus is not running');
  });

  it('meters (npm run bench) each delivery under its worker and detail-type, and each event on its publisher', async () => {
    // Prepare: a runtime whose settings turn metering on.
    const metered = localHost({ KARBOR_DYNAMO_METER: '1' }, ROOT);
    meteredInvocations().length = 0;
    const bus = startLocalEventBus({ host: metered, workers: [WORKER] });
    try {
      // Act
      await metered.run(() => meterInvocation('checkpoints.create', () => localEventPublisher().publish([{ detailType: 'Thing Requested', detail: {} }])));
      await bus.idle();
      // Assess
      expect(meteredInvocations().map(({ label, events }) => ({ label, events }))).toEqual([
        { label: 'checkpoints.create', events: 1 },
        { label: 'flaky (Thing Requested)', events: 0 },
      ]);
    } finally {
      await bus.stop();
      meteredInvocations().length = 0;
    }
  });
});

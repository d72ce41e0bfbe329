import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { EVENT_SOURCE } from '../../shared/events/names';
import type { BusEvent } from '../../shared/kernel/ports';
import { LOCAL_EVENT_BUS_PART, type LocalEventBus } from '../../shared/events/publisher';
import { workers, type WorkerDef } from '../../shared/workers';
import { meterEvent, meterInvocation } from './dynamo-metering';
import type { LocalHost } from './host';
import { lambdaContext } from './http-api-event';

/**
 * The local EventBridge bus (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html):
 * handlers publish through their runtime's host (shared/events/publisher.ts);
 * each event is written to the log and delivered, after the publisher's
 * request has returned, to every bus worker of shared/workers.ts whose
 * detail-types include it, as the EventBridge event a rule would deliver.
 */
type WorkerHandler = (event: EventBridgeEvent<string, unknown>, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

export interface LocalEventBusOptions {
  /** The runtime whose handlers publish to this bus and whose workers it invokes. */
  host: LocalHost;
  busName?: string;
  /** Where events (and worker failures) are written. */
  log?: (line: string) => void;
  /** Delay before the first retry of a failed delivery (doubles after); default 1 s. */
  retryDelayMs?: number;
  /** The worker table (tests); default shared/workers.ts. */
  workers?: readonly WorkerDef[];
}

export interface LocalEventBusHandle {
  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_TIMEOUT_SECONDS = 60;
const RETRIES = 2;

export const startLocalEventBus = (opts: LocalEventBusOptions): LocalEventBusHandle => {
  const busName = opts.busName ?? 'karbor';
  const retryDelayMs = opts.retryDelayMs ?? 1000;
  const log = opts.log ?? (() => undefined);
  const handlers = new Map<string, WorkerHandler>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  const load = (w: WorkerDef): WorkerHandler => {
    let h = handlers.get(w.module);
    if (!h) {
      // A durable worker (protection) exports `localHandler` too: its jobs on the local engine.
      const mod = opts.host.load<{ handler: WorkerHandler; localHandler?: WorkerHandler }>(w.module);
      h = mod.localHandler ?? mod.handler;
      handlers.set(w.module, h);
    }
    return h;
  };
  const deliver = (event: EventBridgeEvent<string, unknown>) => {
    const targets = (opts.workers ?? workers).filter((w) => w.source.kind === 'bus' && w.source.detailTypes.includes(event['detail-type']));
    for (const w of targets) {
      const run = (async () => {
        // After the publishing request has answered, as an asynchronous invocation would.
        await new Promise((r) => setImmediate(r));
        if (stopped) return;
        // As Lambda's asynchronous invocation: a failed delivery is retried twice (after 1 and 2 minutes on AWS).
        for (let attempt = 0; attempt <= RETRIES && !stopped; attempt += 1) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
          try {
            // Metered (npm run bench) by worker and event kind: a checkpoint's protection and its deletion cost differently.
            await opts.host.run(() =>
              meterInvocation(`${w.id} (${event['detail-type']})`, () => load(w)(event, lambdaContext(w.id, w.timeout ?? DEFAULT_TIMEOUT_SECONDS))),
            );
            return;
          } catch (error) {
            log(JSON.stringify({ worker: w.id, event: event.id, attempt: attempt + 1, error: error instanceof Error ? error.message : String(error) }));
          }
        }
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
    }
  };
  const bus: LocalEventBus = {
    async publish(entries: BusEvent[]) {
      if (stopped) throw new Error('the local event bus is stopped');
      for (const e of entries) {
        const event: EventBridgeEvent<string, unknown> = {
          version: '0',
          id: randomUUID(),
          'detail-type': e.detailType,
          source: EVENT_SOURCE,
          account: '000000000000',
          time: `${new Date().toISOString().slice(0, 19)}Z`,
          region: 'local',
          resources: [],
          detail: e.detail,
        };
        meterEvent();
        log(JSON.stringify({ bus: busName, 'detail-type': event['detail-type'], source: event.source, detail: event.detail }));
        deliver(event);
      }
    },
  };
  opts.host.parts[LOCAL_EVENT_BUS_PART] = bus;
  const idle = async () => {
    while (running.size > 0) await Promise.allSettled([...running]);
  };
  return {
    idle,
    async stop() {
      await idle();
      stopped = true;
      delete opts.host.parts[LOCAL_EVENT_BUS_PART];
    },
  };
};

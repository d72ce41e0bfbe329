import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoMeter } from '../../shared/config';

/**
 * Opt-in metering for `npm run bench` (KARBOR_DYNAMO_METER=1; the local
 * runtime installs `meter` as the DynamoDB client hook): asks DynamoDB
 * for the capacity each call consumed and records every call on a process-wide
 * log, so the benchmark can price each route and prove no Scan was sent.
 * The log lives on globalThis because each handler bundle has its own copy of
 * this module.
 */
interface MeteredCall {
  /** The route or worker whose request made the call; `background` once it has answered. */
  label: string;
  command: string;
  readUnits: number;
  writeUnits: number;
}

const LOG_KEY = '__karborDynamoCalls';
const INVOCATIONS_KEY = '__karborInvocations';
const SCOPE_KEY = '__karborMeterScope';
const PAUSE_KEY = '__karborMeterPaused';

/**
 * The bench pauses metering where it times requests against raw calls: a
 * metered call asks DynamoDB for its capacity and is logged, which the raw
 * call would not pay.
 */
export const setMeterPaused = (paused: boolean): void => {
  (globalThis as { [PAUSE_KEY]?: boolean })[PAUSE_KEY] = paused;
};
export const meterPaused = (): boolean => (globalThis as { [PAUSE_KEY]?: boolean })[PAUSE_KEY] === true;

interface MeterScope {
  label: string;
  /** Cleared when the request has answered: work it left running is background. */
  open: boolean;
  /** Events published while open (meterInvocation). */
  events?: number;
}

/** The process-wide scope the local server runs each request in, so calls are priced per route. */
export const meterScope = (): AsyncLocalStorage<MeterScope> => {
  const holder = globalThis as { [SCOPE_KEY]?: AsyncLocalStorage<MeterScope> };
  holder[SCOPE_KEY] ??= new AsyncLocalStorage<MeterScope>();
  return holder[SCOPE_KEY];
};

/** Commands that accept ReturnConsumedCapacity. */
const METERED = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);

type Capacity = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };

export const meteredCalls = (): MeteredCall[] => {
  const holder = globalThis as { [LOG_KEY]?: MeteredCall[] };
  holder[LOG_KEY] ??= [];
  return holder[LOG_KEY];
};

export const meter = (client: DynamoDBClient): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (meterPaused()) return next(args);
      const command = context.commandName ?? 'unknown';
      const input = args.input as Record<string, unknown>;
      if (METERED.has(command)) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      const all = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
      // DynamoDB reports only CapacityUnits for a call that is purely a read or a write.
      const isWrite = /Put|Update|Delete|Write/.test(command);
      const scope = meterScope().getStore();
      meteredCalls().push({
        label: scope?.open ? scope.label : 'background',
        command,
        readUnits: all.reduce((s, c) => s + (c.ReadCapacityUnits ?? (isWrite ? 0 : (c.CapacityUnits ?? 0))), 0),
        writeUnits: all.reduce((s, c) => s + (c.WriteCapacityUnits ?? (isWrite ? (c.CapacityUnits ?? 0) : 0)), 0),
      });
      return result;
    },
    { step: 'initialize', name: 'karborMeter' },
  );
};

/** One handler invocation the local runtime made while metering: what a Lambda would bill by. */
export interface MeteredInvocation {
  label: string;
  /** Wall-clock milliseconds of the handler call, in this process. */
  ms: number;
  /** Events it put on the karbor bus (EventBridge bills each). */
  events: number;
}

export const meteredInvocations = (): MeteredInvocation[] => {
  const holder = globalThis as { [INVOCATIONS_KEY]?: MeteredInvocation[] };
  holder[INVOCATIONS_KEY] ??= [];
  return holder[INVOCATIONS_KEY];
};

/**
 * Runs one handler invocation (a route's request, a worker's event) in a
 * metering scope labelled `label`, so its DynamoDB calls are priced to it,
 * and records its duration and the events it published; unmetered, it just runs.
 */
export const meterInvocation = async <T>(label: string, invoke: () => Promise<T>): Promise<T> => {
  if (!dynamoMeter() || meterPaused()) return invoke();
  const scope: MeterScope = { label, open: true, events: 0 };
  const start = process.hrtime.bigint();
  try {
    return await meterScope().run(scope, invoke);
  } finally {
    scope.open = false;
    meteredInvocations().push({ label, ms: Number(process.hrtime.bigint() - start) / 1e6, events: scope.events ?? 0 });
  }
};

/** Counts one event put on the bus by the invocation being metered (the local bus calls it). */
export const meterEvent = (): void => {
  const scope = meterScope().getStore();
  if (scope?.open) scope.events = (scope.events ?? 0) + 1;
};

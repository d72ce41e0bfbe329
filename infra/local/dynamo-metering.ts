import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

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

import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { DEFAULT_TABLE_NAME } from '../../shared/store/table';
import { createApiServer } from './api-server';
import { DynamoLocal, ensureTable, startDynamoLocal } from './dynamo-local';
import { LocalScheduler, startLocalScheduler, storedSchedules } from './scheduler';

export interface LocalRuntimeOptions {
  port: number;
  host?: string;
  /** Keep DynamoDB Local's data here; undefined = in memory. */
  dataDir?: string;
  /** Use this DynamoDB (tests share one); otherwise start DynamoDB Local. */
  dynamoEndpoint?: string;
  /** Port for the DynamoDB Local this starts; default a free one. */
  dynamoPort?: number;
  tableName?: string;
  moduleRoot: string;
  log?: (line: string) => void;
}

export interface LocalRuntime {
  url: string;
  port: number;
  /** The local EventBridge of time triggers (infra/local/scheduler.ts). */
  scheduler?: LocalScheduler;
  stop(): Promise<void>;
}

/**
 * Starts the whole system on one machine: DynamoDB Local, the table, the
 * environment the handlers read, and the API server. Anything started before
 * a failure is stopped again.
 */
export const startLocalRuntime = async (opts: LocalRuntimeOptions): Promise<LocalRuntime> => {
  let dynamo: DynamoLocal | undefined;
  let server: Server | undefined;
  let scheduler: LocalScheduler | undefined;
  const stop = async () => {
    scheduler?.stop();
    scheduler = undefined;
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    if (dynamo) await dynamo.stop();
    dynamo = undefined;
  };
  try {
    let endpoint = opts.dynamoEndpoint;
    if (!endpoint) {
      if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
      dynamo = await startDynamoLocal({ dataDir: opts.dataDir, port: opts.dynamoPort });
      endpoint = dynamo.endpoint;
    }
    const tableName = opts.tableName ?? DEFAULT_TABLE_NAME;
    await ensureTable(endpoint, tableName);
    // The handlers read their configuration from the environment, as on Lambda.
    process.env.DYNAMODB_ENDPOINT = endpoint;
    process.env.TABLE_NAME = tableName;
    process.env.KARBOR_DISCOVERY ??= 'dynamodb';
    // Trigger schedules go to the in-process scheduler, never to AWS.
    process.env.KARBOR_SCHEDULER = 'local';
    scheduler = await startLocalScheduler({ moduleRoot: opts.moduleRoot, load: storedSchedules, log: opts.log });
    const host = opts.host ?? '127.0.0.1';
    const created = createApiServer({ moduleRoot: opts.moduleRoot, log: opts.log });
    server = created;
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(opts.port, host, () => resolve());
    });
    const address = created.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    return { url: `http://${host}:${port}`, port, scheduler, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

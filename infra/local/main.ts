import path from 'node:path';
import { JavaMissingError } from './dynamo-local';
import { LocalRuntime, startLocalRuntime } from './runtime';

/*
 * `npm start`: the whole system on 127.0.0.1. Configuration:
 * PORT (8799), KARBOR_DATA_DIR (.karbor-data), KARBOR_IN_MEMORY=1 (keep nothing),
 * DYNAMODB_LOCAL_PORT (a free port), KARBOR_KEYSTONE_URL (validate tokens with
 * this Keystone, as the stack's keystone mode; default noauth).
 */

const main = async (): Promise<void> => {
  const port = Number(process.env.PORT ?? 8799);
  const inMemory = process.env.KARBOR_IN_MEMORY === '1';
  const dataDir = inMemory ? undefined : path.resolve(process.env.KARBOR_DATA_DIR ?? '.karbor-data');
  let runtime: LocalRuntime | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await runtime?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  process.on('uncaughtException', (error) => {
    console.error(error);
    void shutdown(1);
  });
  try {
    // The build sits beside this file: .build/infra/local/main.js -> .build/
    runtime = await startLocalRuntime({
      port,
      dataDir,
      dynamoPort: process.env.DYNAMODB_LOCAL_PORT ? Number(process.env.DYNAMODB_LOCAL_PORT) : undefined,
      moduleRoot: path.resolve(__dirname, '..', '..'),
      log: process.env.KARBOR_LOG_REQUESTS === '1' ? (line) => console.log(line) : undefined,
      eventLog: (line) => console.log(line),
      keystoneUrl: process.env.KARBOR_KEYSTONE_URL || undefined,
    });
  } catch (error) {
    console.error(error instanceof JavaMissingError ? error.message : `karbor: start-up failed: ${String(error)}`);
    process.exit(1);
  }
  const where = `Karbor API on ${runtime.url}/v1/<project> (data: ${dataDir ?? 'in memory'})`;
  console.log(
    process.env.KARBOR_KEYSTONE_URL
      ? `${where}; tokens are validated by Keystone at ${process.env.KARBOR_KEYSTONE_URL}`
      : `${where}; try: karbor --os-auth-token admin:demo --os-no-client-auth --karbor-url ${runtime.url}/v1/demo provider-list`,
  );
};

void main();

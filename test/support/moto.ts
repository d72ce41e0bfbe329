import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * A real `moto_server` (pyenv Python 3.11) on a free loopback port, one per
 * test file that asks for it: it starts in about a second, and a file's own
 * server holds only that file's state (no reset between files). Where it is
 * not installed the suite is skipped with one loud line, or fails when
 * KARBOR_REQUIRE_EMULATOR=1 (CI sets it in .ci/run).
 */
export const REQUIRE_EMULATOR = process.env.KARBOR_REQUIRE_EMULATOR === '1';

/** Whether `cmd` runs (`cmd -h` exits 0: moto_server has no --version). */
export const hasTool = (cmd: string): boolean => spawnSync(cmd, ['-h'], { stdio: 'ignore', timeout: 20000 }).status === 0;

/**
 * `describe` when `tool` is installed; otherwise one line on stderr naming the
 * missing tool and the skipped suite, then `describe.skip` (or a failing
 * suite under KARBOR_REQUIRE_EMULATOR=1).
 */
export const describeWithTool = (tool: string, name: string, body: () => void): void => {
  if (hasTool(tool)) {
    describe(name, body);
    return;
  }
  if (REQUIRE_EMULATOR) {
    describe(name, () => {
      it(`needs ${tool} (KARBOR_REQUIRE_EMULATOR=1)`, () => {
        throw new Error(`${tool} is not on PATH and KARBOR_REQUIRE_EMULATOR=1: install it (pip install 'moto[server]' cfn-lint)`);
      });
    });
    return;
  }
  process.stderr.write(`\n*** SKIPPED "${name}": ${tool} is not on PATH (pip install 'moto[server]' cfn-lint; CI requires it) ***\n\n`);
  describe.skip(name, body);
};

export const describeMoto = (name: string, body: () => void): void => describeWithTool('moto_server', name, body);

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export interface Moto {
  endpoint: string;
  /** What every SDK client in a test takes: the endpoint, a region and fixed fake credentials (never the user's). */
  clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; forcePathStyle: true };
  stop(): Promise<void>;
}

export const startMoto = async (region = 'eu-west-1'): Promise<Moto> => {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`moto_server did not answer on ${endpoint}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    clientConfig: { endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

/** An SDK tag list as `{ key: value }`, what a test compares with. */
export const tagsOf = (tags: { Key?: string; Value?: string }[] = []): Record<string, string | undefined> =>
  Object.fromEntries(tags.map((t) => [t.Key, t.Value]));

/** One moto_server and one SDK client for the enclosing describe: started in beforeAll, stopped in afterAll; read `.client` inside tests. */
export const useMoto = <C extends { destroy(): void }>(make: (config: Moto['clientConfig']) => C): { moto: Moto; client: C } => {
  const ref = {} as { moto: Moto; client: C };
  beforeAll(async () => {
    ref.moto = await startMoto();
    ref.client = make(ref.moto.clientConfig);
  });
  afterAll(async () => {
    ref.client?.destroy();
    await ref.moto?.stop();
  });
  return ref;
};

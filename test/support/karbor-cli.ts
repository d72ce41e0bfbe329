import { spawn, spawnSync } from 'node:child_process';

/** The real python-karborclient (`karbor`), Debian/Ubuntu package python3-karborclient. */
export const karborInstalled = (): boolean => spawnSync('karbor', ['--version'], { encoding: 'utf8' }).status === 0;

/**
 * `describe` for tests of the real client: they run wherever `karbor` is
 * installed and always on CI (where a missing client must fail, not skip).
 */
export const describeCli: jest.Describe = karborInstalled() || process.env.CI ? describe : (describe.skip as jest.Describe);

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `karbor <args>` against a local server as `user` of `project`, the way
 * client-notes.md says; `token` replaces the noauth `<user>:<project>` token (a JWT).
 */
export const karbor = (serverUrl: string, project: string, args: string[], user = 'admin', token = `${user}:${project}`): Promise<CliResult> =>
  new Promise((resolve) => {
    const child = spawn('karbor', ['--os-auth-token', token, '--os-no-client-auth', '--karbor-url', `${serverUrl}/v1/${project}`, ...args], {
      env: { ...process.env, OS_AUTH_URL: '', OS_CLOUD: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });

/** The cells of a prettytable the client prints, row by row (header first). */
export const tableRows = (out: string): string[][] =>
  out
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );

/** The `Property | Value` rows of `*-show` output as a map; a value's continuation lines are joined with newlines. */
export const properties = (stdout: string): Record<string, string> => {
  const rows = tableRows(stdout).slice(1);
  const out: Record<string, string> = {};
  let last = '';
  for (const [k, v] of rows) {
    if (k) {
      last = k;
      out[k] = v;
    } else {
      out[last] += `\n${v}`;
    }
  }
  return out;
};

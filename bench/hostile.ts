import net from 'node:net';
import path from 'node:path';
import { freePort } from '../infra/local/dynamo-local';
import { exited, startServer } from './crash';
import { NOOP, request } from './http';
import { fmt, median, percentile, table, timed, verdict } from './stats';

/**
 * Section 8: every attack of issue 11 against the running server, each sent
 * ROUNDS times while a plain `GET` of a plan runs back to back beside it.
 * Target: each attack answers its 4xx within 100 ms, and the plain request
 * stays as fast as without the attacks (the local server is one process:
 * a slow attack would hold every tenant).
 */
const ROUNDS = 5;
const TARGET_MS = 100;
const P = 'hostile';
const admin = { 'X-Auth-Token': `admin:${P}`, 'Content-Type': 'application/json' };
const member = { 'X-Auth-Token': `alice:${P}`, 'Content-Type': 'application/json' };

interface Attack {
  name: string;
  send: () => Promise<number>;
  /** A valid request with a hostile cost (a regex, a huge offset) answers 200; the rest a 4xx fault. */
  ok?: true;
}

const nested = (depth: number, leaf = '0'): string => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;

/** Raw bytes to the server (what no HTTP client sends); the status line's code. */
const raw = (url: string, bytes: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname, () => socket.end(bytes));
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0)));
    socket.on('error', reject);
  });

/** Runs the attacks against a real `npm start` child (in memory), from this process. */
export const benchHostile = async (buildRoot: string): Promise<string> => {
  const port = await freePort();
  const child = await startServer(path.join(buildRoot, 'infra/local/main.js'), { PORT: String(port), KARBOR_IN_MEMORY: '1' });
  try {
    return await attackAll({ url: `http://127.0.0.1:${port}` });
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
};

const attackAll = async (ctx: { url: string }): Promise<string> => {
  const status = async (method: string, path: string, headers: Record<string, string>, body?: string) =>
    (await request(`${ctx.url}${path}`, method, headers, body)).status;
  const json = (v: unknown) => JSON.stringify(v);
  // A plan whose name makes backtracking engines explode, a trigger and a scheduled operation beside it.
  const evil = `${'a'.repeat(28)}!`;
  const plan = JSON.parse(
    (
      await request(
        `${ctx.url}/v1/${P}/plans`,
        'POST',
        admin,
        json({ plan: { name: evil, provider_id: NOOP, parameters: {}, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }] } }),
      )
    ).text,
  ).plan;
  const other = JSON.parse(
    (
      await request(
        `${ctx.url}/v1/other/plans`,
        'POST',
        { ...admin, 'X-Auth-Token': 'admin:other' },
        json({ plan: { name: 'o', provider_id: NOOP, parameters: {}, resources: [{ id: 'other', type: 'OS::Keystone::Project', name: 'other' }] } }),
      )
    ).text,
  ).plan;
  const foreignCheckpoint = JSON.parse(
    (
      await request(
        `${ctx.url}/v1/other/providers/${NOOP}/checkpoints`,
        'POST',
        { ...admin, 'X-Auth-Token': 'admin:other' },
        json({ checkpoint: { plan_id: other.id } }),
      )
    ).text,
  ).checkpoint.id;
  const regexes = ['(a|a)*$', '(a|aa)+$', 'a*a*a*a*a*a*a*$'];
  // Bodies are built once, before any timing: the bench runs in the server's process, so building
  // a 10 MB string per request would be measured as (and would block) the server.
  const deepPlan = `{"plan": {"name": "n", "provider_id": "${NOOP}", "parameters": {}, "resources": [{"id": "${P}", "type": "OS::Keystone::Project", "name": "${P}", "extra_info": {"k": ${nested(4110)}}}]}}`;
  const deep = nested(10000);
  const longReason = json({ status: 'disabled', disabled_reason: 'x'.repeat(450 * 1024) });
  const tenMegabytes = `[${'[],'.repeat(3_495_000)}[]]`;
  const bigHeaders = `GET /v1/${P}/plans HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(17 * 1024)}\r\n\r\n`;
  const attacks: Attack[] = [
    ...regexes.flatMap((re) =>
      ['plans', 'triggers', 'scheduled_operations'].map((list) => ({
        name: `\`GET ${list}?name=${re}\``,
        send: () => status('GET', `/v1/${P}/${list}?name=${encodeURIComponent(re)}`, member),
        ok: true as const,
      })),
    ),
    ...['FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29'].map((rule) => ({
      name: `calendar rule \`${rule}\``,
      send: () =>
        status(
          'POST',
          `/v1/${P}/triggers`,
          member,
          json({ trigger_info: { name: 't', type: 'time', properties: { format: 'calendar', pattern: `BEGIN:VEVENT\nRRULE:${rule}\nEND:VEVENT` } } }),
        ),
    })),
    {
      name: 'plan resource `extra_info` nested 4,110 levels',
      send: () => status('POST', `/v1/${P}/plans`, member, deepPlan),
    },
    { name: '10,000-level body on `POST plans`', send: () => status('POST', `/v1/${P}/plans`, member, deep) },
    { name: "a member's 10,000-level `PUT os-services/1`", send: () => status('PUT', `/v1/${P}/os-services/1`, member, deep) },
    {
      name: '2,100-character project id in the URL',
      send: () => status('GET', `/v1/${'p'.repeat(2100)}/plans`, { 'X-Auth-Token': `admin:${'p'.repeat(2100)}` }),
    },
    { name: '`offset=2147483647` on restores', send: () => status('GET', `/v1/${P}/restores?offset=2147483647`, member), ok: true },
    { name: '`offset=2147483647` on verifications', send: () => status('GET', `/v1/${P}/verifications?offset=2147483647`, member), ok: true },
    {
      name: 'integer beyond 2^53 in checkpoint extra info',
      send: () =>
        status('POST', `/v1/${P}/providers/${NOOP}/checkpoints`, member, `{"checkpoint": {"plan_id": "${plan.id}", "extra_info": {"n": 9007199254740993}}}`),
    },
    {
      name: '450 KB `disabled_reason`',
      send: () => status('PUT', `/v1/${P}/os-services/1`, admin, longReason),
    },
    { name: '10 MB body of empty arrays', send: () => status('POST', `/v1/${P}/plans`, member, tenMegabytes) },
    {
      name: "another project's checkpoint as `marker`",
      send: () => status('GET', `/v1/${P}/providers/${NOOP}/checkpoints?marker=${foreignCheckpoint}`, member),
    },
    {
      name: '17 KB of headers (raw)',
      send: () => raw(ctx.url, bigHeaders),
    },
    {
      name: 'bad `Transfer-Encoding` (raw)',
      send: () => raw(ctx.url, `POST /v1/${P}/plans HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n`),
    },
    { name: 'request target `http://[/v1` (raw)', send: () => raw(ctx.url, 'GET http://[/v1 HTTP/1.1\r\nHost: x\r\n\r\n') },
  ];

  const plain = () => request(`${ctx.url}/v1/${P}/plans/${plan.id}`, 'GET', member);
  const baseline: number[] = [];
  for (let i = 0; i < 50; i += 1) baseline.push(await timed(plain));

  const rows: Array<Array<string | number>> = [];
  const during: number[] = [];
  let worst = 0;
  for (const attack of attacks) {
    const times: number[] = [];
    const statuses = new Set<number>();
    let running = true;
    // The plain request, back to back while the attack runs.
    const beside = (async () => {
      while (running) during.push(await timed(plain));
    })();
    for (let i = 0; i < ROUNDS; i += 1) {
      let code = 0;
      times.push(
        await timed(async () => {
          code = await attack.send();
        }),
      );
      statuses.add(code);
    }
    running = false;
    await beside;
    const p50 = median(times);
    const max = Math.max(...times);
    worst = Math.max(worst, max);
    const codes = [...statuses].sort();
    const expected = attack.ok ? codes.every((c) => c === 200) : codes.every((c) => c >= 400 && c < 500);
    rows.push([attack.name, codes.join(', '), fmt(p50), fmt(max), expected ? 'yes' : '**no**']);
  }
  return [
    '## Section 8: hostile input (issue 11)',
    '',
    `Each attack sent ${ROUNDS} times by a member (admin where the route is admin-only) to a real \`npm start\` (in memory, its own process), while a plain \`GET\` of a plan ran back to back beside it. Times are the attack's own answer times in ms, as the client sees them (sending a large body included).`,
    '',
    table(['attack', 'status', 'p50 ms', 'max ms', 'as expected (200 for a valid list, else a 4xx fault)'], rows),
    '',
    `- Slowest attack answer: ${verdict(worst, TARGET_MS, ' ms')}.`,
    `- The plain \`GET\` beside them: p50 ${fmt(median(during))} ms, p99 ${fmt(percentile(during, 99))} ms, over ${during.length} requests; alone, before the attacks: p50 ${fmt(median(baseline))} ms, p99 ${fmt(percentile(baseline, 99))} ms.`,
  ].join('\n');
};

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBundles } from './bundles';

/** `npm run bench`: measures what users pay and writes BENCHMARKS.md. */
const ROOT = path.resolve(__dirname, '..', '..');

const main = async (): Promise<void> => {
  const sections: string[] = [];
  const only = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
  const want = (n: string) => only.size === 0 || only.has(n);
  if (want('5')) sections.push(benchBundles(ROOT));
  const header = [
    '# Benchmarks',
    '',
    `Measured ${new Date().toISOString()} by \`npm run bench\` on Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, ${os.platform()} ${os.arch()}.`,
    'Everything runs on this one machine: DynamoDB Local in memory, the local HTTP server, the same handler bundles.',
    '',
  ].join('\n');
  const doc = `${header}\n${sections.join('\n\n')}\n`;
  writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), doc);
  console.log(doc);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

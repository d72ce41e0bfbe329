import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const DOMAIN = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'domain');

describe('domain boundaries (R4)', () => {
  const files = readdirSync(DOMAIN, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'));

  it('has domain modules to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files)('%s imports no AWS SDK, middy or aws-lambda', (file) => {
    const source = readFileSync(path.join(DOMAIN, file), 'utf8');
    const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((i) => /^(@aws-sdk\/|@middy\/|aws-lambda$|aws-cdk-lib)/.test(i))).toEqual([]);
  });
});

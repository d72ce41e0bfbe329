import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lambdaEsbuildOptions } from '../../infra/bundling';

/**
 * One Node major everywhere: `.nvmrc` names it, and everything else must
 * agree with it. The `node` devDependency is what puts that major first on
 * PATH for every npm script, whatever the machine's own Node is.
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const major = readFileSync(path.join(REPO_ROOT, '.nvmrc'), 'utf8').trim();
const majorOf = (range: string): string | undefined => /^[\^~]?(\d+)(\.|$)/.exec(range)?.[1];

describe('the Node major (.nvmrc)', () => {
  it('is what the tests run on', () => {
    // Assess: jest's workers inherit the node that npm's PATH gave jest's shebang.
    expect(process.version.slice(1).split('.')[0]).toBe(major);
  });

  it('is the major of engines, the node devDependency and @types/node', () => {
    // Assess
    expect(pkg.engines.node).toBe(`${major}.x`);
    expect({ node: majorOf(pkg.devDependencies.node), types: majorOf(pkg.devDependencies['@types/node']) }).toEqual({ node: major, types: major });
  });

  it("is the Lambda bundles' esbuild target", () => {
    // Assess: the runtime itself (nodejs<major>.x) is checked on the synthesized template (test/infra/stack.test.ts).
    expect(lambdaEsbuildOptions().target).toBe(`node${major}`);
  });
});

import type { Metafile } from 'esbuild';
import { filesAtInit } from '../../infra/bundling';

type Import = Metafile['outputs'][string]['imports'][number];

const output = (imports: Import[], entryPoint?: string): Metafile['outputs'][string] => ({ bytes: 1, inputs: {}, imports, exports: [], entryPoint });

describe('filesAtInit', () => {
  it('follows static imports from index.mjs only: not import() targets, whatever they import, nor externals', () => {
    // Prepare: index -> shared (static); index ~> ec2 (dynamic, an entry point of its own) -> ec2-client (static)
    const metafile: Metafile = {
      inputs: {},
      outputs: {
        'out/index.mjs': output(
          [
            { path: 'out/chunks/shared.mjs', kind: 'import-statement' },
            { path: 'out/chunks/ec2.mjs', kind: 'dynamic-import' },
            { path: 'node:module', kind: 'import-statement', external: true },
          ],
          'functions/x.ts',
        ),
        'out/chunks/shared.mjs': output([]),
        'out/chunks/ec2.mjs': output([{ path: 'out/chunks/ec2-client.mjs', kind: 'import-statement' }], 'shared/ec2.ts'),
        'out/chunks/ec2-client.mjs': output([{ path: 'out/chunks/shared.mjs', kind: 'import-statement' }]),
      },
    };
    // Act / Assert
    expect(filesAtInit(metafile).sort()).toEqual(['out/chunks/shared.mjs', 'out/index.mjs']);
  });
});

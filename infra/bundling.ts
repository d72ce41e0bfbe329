import type { BuildOptions } from 'esbuild';

/**
 * The one esbuild configuration of every Lambda bundle (R11), shared by the
 * CDK construct (infra/constructs/api-function.ts) and `npm run bench`.
 * The AWS SDK is bundled too: the version is the one the lock file pins and
 * the tests ran, not whatever the runtime ships.
 */
export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: true,
  keepNames: true,
  target: 'node22',
  mainFields: ['module', 'main'],
  externalModules: [] as string[],
} as const;

/** The same settings in esbuild's own terms (what NodejsFunction passes to esbuild). */
export const lambdaEsbuildOptions = (): BuildOptions => ({
  bundle: true,
  platform: 'node',
  format: 'cjs',
  minify: LAMBDA_BUNDLING.minify,
  sourcemap: LAMBDA_BUNDLING.sourceMap,
  keepNames: LAMBDA_BUNDLING.keepNames,
  target: LAMBDA_BUNDLING.target,
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  external: [...LAMBDA_BUNDLING.externalModules],
  logLevel: 'error',
});

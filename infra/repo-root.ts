import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The repository root: the nearest folder above `from` holding cdk.json.
 * Walks up because the app runs both from source (jest) and bundled under
 * .build/ (`npx cdk synth`), where `__dirname` differs.
 */
export const findRepoRoot = (from: string = __dirname): string => {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'cdk.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no cdk.json above ${from}: run the CDK app from the repository`);
    dir = parent;
  }
};

import { rmSync, writeFileSync } from 'node:fs';
import { consoleBuild, SYNTH_MODES, synthMode, templateIds, templatesOf } from './template-ids';

/**
 * Not a test (no `.test.ts`): writes every mode's logical ids and full
 * templates to $TEMPLATE_IDS_OUT (default ./template-ids.json), for a
 * before/after comparison of a refactoring of infra/:
 *   TEMPLATE_IDS_OUT=/tmp/before.json npx jest -c jest.unit.config.js --testMatch '**\/template-ids.dump.ts'
 * then compare two dumps with test/infra/template-ids.ts `diffIds` (or `diff`).
 */
it('dumps the logical ids and templates of every synth mode', () => {
  const dist = consoleBuild();
  try {
    const out = Object.fromEntries(
      Object.keys(SYNTH_MODES).map((mode) => {
        const s = synthMode(mode, dist);
        return [mode, { ids: templateIds(s), templates: templatesOf(s) }];
      }),
    );
    writeFileSync(process.env.TEMPLATE_IDS_OUT ?? 'template-ids.json', `${JSON.stringify(out, null, 1)}\n`);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});

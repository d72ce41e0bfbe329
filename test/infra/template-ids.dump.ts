import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { consoleBuild, diffIds, SYNTH_MODES, synthMode, type TemplateIds, templateIds, templatesOf } from './template-ids';

type Dump = Record<string, { ids: TemplateIds; templates: Record<string, unknown> }>;

/**
 * Not a test (no `.test.ts`): writes every mode's logical ids and full
 * templates to $TEMPLATE_IDS_OUT (default ./template-ids.json), for a
 * before/after comparison of a refactoring of infra/:
 *   TEMPLATE_IDS_OUT=/tmp/before.json npx jest -c jest.unit.config.js --testMatch '**\/template-ids.dump.ts'
 * With $TEMPLATE_IDS_BEFORE naming an earlier dump it also writes
 * <out>.summary.txt: per mode the templates and resources, every logical id
 * gone, new or of another type, and whether each template is unchanged.
 */
it('dumps the logical ids and templates of every synth mode', () => {
  const out = process.env.TEMPLATE_IDS_OUT ?? 'template-ids.json';
  const dist = consoleBuild();
  let dump: Dump;
  try {
    dump = Object.fromEntries(
      Object.keys(SYNTH_MODES).map((mode) => {
        const s = synthMode(mode, dist);
        return [mode, { ids: templateIds(s), templates: templatesOf(s) }];
      }),
    );
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
  writeFileSync(out, `${JSON.stringify(dump, null, 1)}\n`);
  if (!process.env.TEMPLATE_IDS_BEFORE) return;
  const before = JSON.parse(readFileSync(process.env.TEMPLATE_IDS_BEFORE, 'utf8')) as Dump;
  const lines = Object.entries(dump).flatMap(([mode, { ids, templates }]) => {
    const was = before[mode];
    if (!was) return [`${mode}: not in the earlier dump`];
    const resources = Object.values(ids).reduce((n, t) => n + Object.keys(t).length, 0);
    const changed = Object.keys(templates).filter((t) => JSON.stringify(templates[t]) !== JSON.stringify(was.templates[t]));
    const diff = diffIds(was.ids, ids);
    return [
      `${mode}: ${Object.keys(ids).length} templates, ${resources} resources, ${diff.length} logical id changes, ` +
        (changed.length === 0 ? 'every template byte-identical' : `changed templates: ${changed.join(', ')}`),
      ...diff.map((d) => `  ${d}`),
    ];
  });
  writeFileSync(`${out}.summary.txt`, `${lines.join('\n')}\n`);
});

import type { Stack } from 'aws-cdk-lib';
import { type Synth, synthStack } from '../support/synth';

export { consoleBuild } from '../support/synth';

/**
 * The configurations the infra tests synthesize (test/infra/nag.test.ts's
 * four, the default without the console, and CORS with and without it), for
 * comparing the templates before and after a change to the stack's code:
 * `template-ids.dump.ts` writes them, `diffIds` compares two dumps.
 */
export const SYNTH_MODES: Record<string, { context: Record<string, unknown>; console: boolean }> = {
  'cognito-rules-console': { context: {}, console: true },
  'cognito-rules': { context: {}, console: false },
  'jwt-scheduler': {
    context: { 'karbor:authMode': 'jwt', 'karbor:jwtIssuer': 'https://login.example.com', 'karbor:jwtAudience': 'karbor', 'karbor:scheduler': 'scheduler' },
    console: false,
  },
  'keystone-rules': { context: { 'karbor:authMode': 'keystone', 'karbor:keystoneUrl': 'https://keystone.example.com:5000' }, console: false },
  'noauth-scheduler': { context: { 'karbor:authMode': 'noauth', 'karbor:scheduler': 'scheduler', 'karbor:deletionProtection': 'false' }, console: false },
  'cors-console': { context: { 'karbor:corsOrigins': 'https://console.example.com' }, console: true },
  'cors-scheduler': {
    context: { 'karbor:scheduler': 'scheduler', 'karbor:corsOrigins': 'https://console.example.com', 'karbor:sourceMaps': 'true' },
    console: false,
  },
};

/** `{ <template>: { <logical id>: <Type> } }`, the root template under the stack's id, a nested one under its construct path. */
export type TemplateIds = Record<string, Record<string, string>>;

const templateName = (s: Synth, t: Stack): string => (t === s.stack ? s.stack.node.id : t.node.path);

export const templateIds = (s: Synth): TemplateIds =>
  Object.fromEntries(
    [...s.templates].map(([stack, t]) => [
      templateName(s, stack),
      Object.fromEntries(Object.entries(t.toJSON().Resources as Record<string, { Type: string }>).map(([id, r]) => [id, r.Type])),
    ]),
  );

/** Every template in full: equal dumps mean unchanged templates (key order included). */
export const templatesOf = (s: Synth): Record<string, unknown> =>
  Object.fromEntries([...s.templates].map(([stack, t]) => [templateName(s, stack), t.toJSON()]));

export const synthMode = (mode: string, dist: string): Synth => {
  const m = SYNTH_MODES[mode];
  return synthStack(m.context, m.console ? { consoleDir: dist } : {});
};

/** What changed between two dumps of one mode: ids gone, ids new, ids whose type changed. */
export const diffIds = (before: TemplateIds, after: TemplateIds): string[] => {
  const lines: string[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[name] ?? {};
    const a = after[name] ?? {};
    if (!before[name]) lines.push(`+ template ${name}`);
    if (!after[name]) lines.push(`- template ${name}`);
    for (const id of Object.keys(b)) if (!(id in a)) lines.push(`- ${name} ${id} (${b[id]})`);
    for (const id of Object.keys(a)) if (!(id in b)) lines.push(`+ ${name} ${id} (${a[id]})`);
    for (const id of Object.keys(a)) if (id in b && a[id] !== b[id]) lines.push(`~ ${name} ${id} ${b[id]} -> ${a[id]}`);
  }
  return lines;
};

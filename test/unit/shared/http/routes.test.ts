import { existsSync } from 'node:fs';
import path from 'node:path';
import { fallbackRoute, routes } from '../../../../shared/http/routes';
import { workers } from '../../../../shared/workers';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

describe('route table', () => {
  const entries = [...routes, fallbackRoute, ...workers];

  it.each(entries.map((e) => [e.id, e.module]))('%s: module %s exists and exports handler', (_id, module) => {
    // Prepare
    const file = path.join(ROOT, `${module}.ts`);
    // Act
    const loaded = existsSync(file) ? (require(file) as { handler?: unknown }) : {};
    // Assess
    expect(existsSync(file)).toBe(true);
    expect(typeof loaded.handler).toBe('function');
  });

  it('declares every id and every method+path once', () => {
    const ids = entries.map((e) => e.id);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('puts every API route but the version documents under /v1/{project_id}', () => {
    for (const r of routes.filter((r) => !r.public)) expect(r.path.startsWith('/v1/{project_id}/')).toBe(true);
  });

  it('gives GET routes no write access', () => {
    for (const r of routes.filter((r) => r.method === 'GET')) expect(r.access).not.toBe('write');
  });
});

import { matchRoute } from '../../../../shared/http/route-match';

describe('matchRoute', () => {
  it('matches a templated path and extracts its parameters', () => {
    const m = matchRoute('GET', '/v1/p1/protectables/OS::Nova::Server/instances/abc');
    expect(m.kind).toBe('route');
    if (m.kind !== 'route') return;
    expect(m.route.id).toBe('protectables.showInstance');
    expect(m.pathParameters).toEqual({ project_id: 'p1', protectable_type: 'OS::Nova::Server', protectable_id: 'abc' });
  });

  it('prefers literal segments over parameters', () => {
    const m = matchRoute('GET', '/v1/p1/protectables/X/instances');
    expect(m.kind === 'route' && m.route.id).toBe('protectables.listInstances');
  });

  it('reports a known path asked with another method as method-not-allowed', () => {
    const m = matchRoute('POST', '/v1/p1/providers');
    expect(m).toEqual({ kind: 'method-not-allowed', allowed: ['GET'] });
  });

  it('reports an unknown path as none', () => {
    expect(matchRoute('GET', '/v1/p1/nosuchthing')).toEqual({ kind: 'none' });
  });

  it('ignores a trailing slash', () => {
    const m = matchRoute('GET', '/v1/');
    expect(m.kind === 'route' && m.route.id).toBe('versions.show');
  });
});

import { SETTING_NAMES } from '../../shared/config';
import { LIBRARY_VARIABLES } from '../../infra/constructs/api-function';
import { synthStack } from '../support/synth';

/**
 * The stack writes each function's settings under the names shared/config.ts
 * reads (SETTING_NAMES): a variable by any other name would be read by nobody
 * and leave the function on a default.
 */
describe("the functions' environment", () => {
  const known = new Set<string>([...SETTING_NAMES, ...LIBRARY_VARIABLES]);
  const modes: [string, Record<string, unknown>][] = [
    ['cognito, scheduler', {}],
    ['keystone, rules', { 'karbor:authMode': 'keystone', 'karbor:keystoneUrl': 'https://keystone.example.com:5000', 'karbor:scheduler': 'rules' }],
    ['jwt', { 'karbor:authMode': 'jwt', 'karbor:jwtIssuer': 'https://login.example.com', 'karbor:jwtAudience': 'karbor' }],
  ];

  it.each(modes)('names only settings config reads, and the libraries’ own variables: %s', (name, context) => {
    // Act
    const { resources } = synthStack(context, {}, `Settings${name.replace(/\W/g, '')}`);
    // Assess: the app's functions (CDK's own custom resources run other code).
    const ours = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler');
    const unknown = ours.flatMap(([id, r]) =>
      Object.keys(r.Properties.Environment?.Variables ?? {})
        .filter((v) => !known.has(v))
        .map((v) => `${id}: ${v}`),
    );
    expect(ours.length).toBeGreaterThan(40);
    expect(unknown).toEqual([]);
  });
});

import { projectTagValue } from '../../../../shared/kernel/identity';

describe('projectTagValue', () => {
  it.each(['demo', '0c1c5f1ad3b84bb1a1c87de1a0f3c9e2', 'team a/b:c=d+e-f@g_h.i', 'projé', 'x'.repeat(256)])('keeps %s, which a session tag can hold', (id) => {
    expect(projectTagValue(id)).toBe(id);
  });

  it.each(['a#b', 'x'.repeat(257), 'tab\there', 'semi;colon', '*'])('maps %s to a deterministic sha256 value a session tag can hold', (id) => {
    // Act
    const value = projectTagValue(id);
    // Assess
    expect(value).toMatch(/^karbor-sha256-[0-9a-f]{64}$/);
    expect(projectTagValue(id)).toBe(value);
    expect(projectTagValue(`${id}2`)).not.toBe(value);
  });
});

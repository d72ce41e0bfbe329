import { karborTime, pyJson, pyRepr, pyStr } from '../../../../shared/kernel/karbor-text';

describe('karbor-text', () => {
  it('prints a Date and a stored ISO string the same way, to the microsecond without a zone', () => {
    expect(karborTime(new Date('2026-11-28T06:27:15.123Z'))).toBe('2026-11-28T06:27:15.123000');
    expect(karborTime('2026-11-28T06:27:15.123Z')).toBe('2026-11-28T06:27:15.123000');
    expect(karborTime('2026-11-28T06:27:15Z')).toBe('2026-11-28T06:27:15.000000');
  });

  it('prints scalars as Python str() does', () => {
    expect([pyStr(true), pyStr(false), pyStr(5), pyStr('x')]).toEqual(['True', 'False', '5', 'x']);
  });

  it('prints JSON as Python json.dumps does and values as Python repr does', () => {
    expect(pyJson({ a: [1, 'é'], b: null })).toBe('{"a": [1, "\\u00e9"], "b": null}');
    expect(pyRepr({ a: [true, null, 'x\n'] })).toBe("{'a': [True, None, 'x\\n']}");
  });
});

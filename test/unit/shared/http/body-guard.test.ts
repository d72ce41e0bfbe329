import { TooLargeError, InvalidInputError } from '../../../../shared/kernel/errors';
import { guardJsonBody, MAX_BODY_BYTES, MAX_BODY_DEPTH, parseJsonBody } from '../../../../shared/http/body-guard';

describe('guardJsonBody', () => {
  it('passes ordinary bodies, brackets and digits inside strings included', () => {
    expect(() => guardJsonBody('{"plan": {"name": "[[[{{{ 99999999999999999999", "n": -12.5e3, "ok": [1, 2, {"a": null}]}}')).not.toThrow();
    expect(() => guardJsonBody(`${'['.repeat(MAX_BODY_DEPTH)}${']'.repeat(MAX_BODY_DEPTH)}`)).not.toThrow();
  });

  it('refuses a body nested deeper than the limit with a 400 that does not quote it', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(() => guardJsonBody(deep)).toThrow(InvalidInputError);
    expect(() => guardJsonBody(deep)).toThrow(`Request body is nested deeper than ${MAX_BODY_DEPTH} levels.`);
  });

  it('refuses an integer JSON.parse would round, either sign, and keeps the largest exact ones', () => {
    expect(() => guardJsonBody('{"a": 9007199254740993}')).toThrow(/integer beyond 2\^53/);
    expect(() => guardJsonBody('[-9007199254740993]')).toThrow(InvalidInputError);
    expect(() => guardJsonBody('[9007199254740991, -9007199254740991, 1.5e300]')).not.toThrow();
  });

  it('refuses a body over the size limit with a 413', () => {
    expect(() => guardJsonBody(`"${'x'.repeat(MAX_BODY_BYTES)}"`)).toThrow(TooLargeError);
  });
});

describe('parseJsonBody', () => {
  it('parses what the guard passes and answers malformed JSON with a 400', () => {
    expect(parseJsonBody('{"a": [1, {"constructor": "x"}]}')).toEqual({ a: [1, { constructor: 'x' }] });
    expect(() => parseJsonBody('{"a":')).toThrow(new InvalidInputError('Malformed request body'));
  });

  it('refuses a __proto__ key at any depth, escaped or not (the DynamoDB marshaller cannot store it)', () => {
    for (const raw of ['{"__proto__": 1}', '{"p": {"OS::Nova::Server": {"x": 1, "__proto__": false}}}', '[{"\\u005f_proto__": {}}]']) {
      expect(() => parseJsonBody(raw)).toThrow("Request body holds the key '__proto__', which cannot be stored.");
    }
  });

  it('refuses an empty key at any depth (DynamoDB refuses an empty map key), and keeps empty strings as values', () => {
    for (const raw of ['{"": 1}', '{"a": {"b": [{"x": 1, ""  :  "v"}]}}', '{"a":{"":{}}}', `{""${' \n'.repeat(100)}: 1}`]) {
      expect(() => parseJsonBody(raw)).toThrow(new InvalidInputError('Request body holds an empty key, which cannot be stored.'));
    }
    expect(parseJsonBody('{"a": "", "b": ["", ""], "c": {"d": ""}}')).toEqual({ a: '', b: ['', ''], c: { d: '' } });
    // An escaped quote or backslash before a key's closing quote is not an empty key.
    expect(parseJsonBody('{"a\\\\": "", "\\"": 1}')).toEqual({ 'a\\': '', '"': 1 });
  });
});

import fc from 'fast-check';
import { faultProblem, healthProblem, replyProblem } from '../../fuzz/invariants';
import { encodePart, requestArb } from '../../fuzz/generators';
import { fuzzSettings } from '../../fuzz/runner';

const reply = (status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({
  status,
  text: body,
  headers: new Headers(headers),
});

describe('fuzz invariants', () => {
  it("accepts Karbor's fault bodies and successes", () => {
    expect(replyProblem(reply(400, '{"badRequest": {"code": 400, "message": "x"}}'), true)).toBeUndefined();
    expect(replyProblem(reply(413, '{"overLimit": {"code": 413, "message": "x", "retryAfter": "0"}}'), true)).toBeUndefined();
    expect(replyProblem(reply(503, '{"serviceUnavailable": {"code": 503, "message": "x"}}'), true)).toBeUndefined();
    expect(replyProblem(reply(200, '{"plans": []}'), true)).toBeUndefined();
    expect(replyProblem(reply(204, '', { 'x-auth-token': 'admin:admin' }), false)).toBeUndefined();
  });

  it.each([
    [reply(500, '{"computeFault": {"code": 500, "message": "x"}}'), true, /a 500/],
    [reply(404, 'Not Found'), true, /not JSON/],
    [reply(404, '{"badRequest": {"code": 400, "message": "x"}}'), true, /not itemNotFound/],
    [reply(400, '{"badRequest": {"code": 404, "message": "x"}}'), true, /fault code is 404/],
    [reply(400, '{"badRequest": {"code": 400, "message": "x", "stack": "..."}}'), true, /extra keys stack/],
    [reply(204, '', { 'x-auth-token': 'admin:admin' }), true, /204 to a request with a token/],
    [reply(200, '<html>', { 'content-type': 'text/html' }), true, /not JSON/],
  ])('refuses a bad reply (%#)', (r, sentToken, problem) => {
    expect(replyProblem(r, sentToken)).toMatch(problem);
  });

  it('checks the version document and the fault shape', () => {
    expect(healthProblem(reply(300, '{"versions": [{"id": "v1.0"}]}'))).toBeUndefined();
    expect(healthProblem(reply(200, '{"versions": [{"id": "v1.0"}]}'))).toMatch(/answered 200/);
    expect(faultProblem(403, '{"forbidden": {"code": 403}}')).toMatch(/without a message/);
  });
});

describe('fuzz generators and settings', () => {
  it('generates only requests a client can send: encoded paths, latin-1 tokens', () => {
    for (const req of fc.sample(requestArb, { numRuns: 500, seed: 7 })) {
      expect(req.path).toMatch(/^\/[\x21-\x7e]*$/);
      if (req.token && 'raw' in req.token) expect(req.token.raw).toMatch(/^[\x20-\x7e]*$/);
    }
  });

  it('generates the same requests from the same seed', () => {
    expect(fc.sample(requestArb, { numRuns: 20, seed: 99 })).toEqual(fc.sample(requestArb, { numRuns: 20, seed: 99 }));
  });

  it('keeps placeholders and encodes the rest, lone surrogates included', () => {
    expect(encodePart('@@plan:A@@/x\ud800')).toBe('@@plan:A@@%2Fx%EF%BF%BD');
  });

  it('reads FUZZ_RUNS, FUZZ_SEED and FUZZ_PATH, and refuses nonsense', () => {
    expect(fuzzSettings(300, { FUZZ_RUNS: '50', FUZZ_SEED: '-12', FUZZ_PATH: '3:1' })).toEqual({ requests: 50, seed: -12, path: '3:1', shrink: false });
    expect(fuzzSettings(300, {}).requests).toBe(300);
    expect(() => fuzzSettings(300, { FUZZ_RUNS: 'lots' })).toThrow(/FUZZ_RUNS/);
  });
});

import { keystoneValidator, KeystoneUnavailableError } from '../../../../shared/auth/keystone';
import { type FakeKeystone, startFakeKeystone } from '../../../support/fake-keystone';

describe('Keystone token validation', () => {
  let keystone: FakeKeystone;

  beforeAll(async () => {
    keystone = await startFakeKeystone();
  });

  afterAll(() => keystone.stop());

  beforeEach(() => {
    keystone.tokens.clear();
    keystone.asked.length = 0;
    keystone.failWith = undefined;
  });

  it('turns a project-scoped token into the user, project and role names; admin makes an admin', async () => {
    // Prepare
    keystone.tokens.set('tok-member', { userId: 'u1', projectId: 'p1', roles: ['member', 'reader'] });
    keystone.tokens.set('tok-admin', { userId: 'u2', projectId: 'p2', roles: ['admin'] });
    const validate = keystoneValidator({ url: `${keystone.url}/v3/`, cacheSeconds: 0 });
    // Act
    const member = await validate('tok-member');
    const admin = await validate('tok-admin');
    // Assess
    expect(member).toMatchObject({ userId: 'u1', projectId: 'p1', roles: ['member', 'reader'], isAdmin: false });
    expect(admin).toMatchObject({ userId: 'u2', projectId: 'p2', roles: ['admin'], isAdmin: true });
    expect(keystone.asked).toEqual(['tok-member', 'tok-admin']);
  });

  it('refuses unknown, unscoped and expired tokens', async () => {
    // Prepare
    keystone.tokens.set('tok-unscoped', { userId: 'u1', roles: [] });
    keystone.tokens.set('tok-old', { userId: 'u1', projectId: 'p1', roles: ['member'], expiresAt: '2020-01-01T00:00:00.000000Z' });
    const validate = keystoneValidator({ url: keystone.url });
    // Act
    const results = [await validate('tok-nobody'), await validate('tok-unscoped'), await validate('tok-old')];
    const unsendable = [await validate('tök-ünicode'), await validate('tok-€'), await validate('a b'), await validate('x'.repeat(9000))];
    // Assess
    expect(results).toEqual([undefined, undefined, undefined]);
    expect(unsendable).toEqual([undefined, undefined, undefined, undefined]);
    expect(keystone.asked).toEqual(['tok-nobody', 'tok-unscoped', 'tok-old']);
  });

  it('asks again only once the cache time or the token itself has run out', async () => {
    // Prepare
    let now = new Date('2026-11-25T12:00:00Z');
    keystone.tokens.set('tok-long', { userId: 'u1', projectId: 'p1', roles: ['member'], expiresAt: '2026-11-25T18:00:00.000000Z' });
    keystone.tokens.set('tok-short', { userId: 'u1', projectId: 'p1', roles: ['member'], expiresAt: '2026-11-25T12:01:00.000000Z' });
    const validate = keystoneValidator({ url: keystone.url, cacheSeconds: 300, now: () => now });
    // Act
    await validate('tok-long');
    await validate('tok-short');
    now = new Date('2026-11-25T12:00:59Z');
    await validate('tok-long');
    await validate('tok-short');
    const askedWithin = keystone.asked.length;
    now = new Date('2026-11-25T12:01:30Z');
    const shortAfterExpiry = await validate('tok-short');
    await validate('tok-long');
    now = new Date('2026-11-25T12:05:01Z');
    await validate('tok-long');
    // Assess
    expect(askedWithin).toBe(2);
    expect(shortAfterExpiry).toBeUndefined();
    expect(keystone.asked).toEqual(['tok-long', 'tok-short', 'tok-short', 'tok-long']);
  });

  it('does not cache a refusal: a token Keystone learns of later is accepted', async () => {
    // Prepare
    const validate = keystoneValidator({ url: keystone.url });
    const before = await validate('tok-new');
    keystone.tokens.set('tok-new', { userId: 'u1', projectId: 'p1', roles: ['member'] });
    // Act
    const after = await validate('tok-new');
    // Assess
    expect(before).toBeUndefined();
    expect(after).toMatchObject({ projectId: 'p1' });
  });

  it('says Keystone is unavailable when it errs, is not there, or is too slow', async () => {
    // Prepare
    keystone.failWith = 503;
    const validate = keystoneValidator({ url: keystone.url });
    const nowhere = keystoneValidator({ url: 'http://127.0.0.1:9' });
    const slow = keystoneValidator({
      url: keystone.url,
      timeoutMs: 50,
      fetch: ((_url: string, init: RequestInit) =>
        new Promise((_ok, fail) => init.signal!.addEventListener('abort', () => fail(init.signal!.reason)))) as unknown as typeof fetch,
    });
    // Act / Assess
    await expect(validate('tok')).rejects.toThrow(KeystoneUnavailableError);
    await expect(validate('tok')).rejects.toThrow('answered 503');
    await expect(nowhere('tok')).rejects.toThrow(/could not be reached/);
    await expect(slow('tok')).rejects.toThrow(KeystoneUnavailableError);
  });
});

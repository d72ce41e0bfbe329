import { describeCli, karbor, properties } from '../../support/karbor-cli';
import { startTestServer, type TestServer } from '../../support/local-server';

const PROJECT = 'cliquotas';

/**
 * The quota commands of the real client. It has no project id of its own
 * with --os-no-client-auth, so quota-show and quota-defaults always get --tenant.
 */
describeCli('karbor CLI: quotas and quota classes', () => {
  let server: TestServer;
  const cli = (args: string[], user?: string) => karbor(server.url, PROJECT, args, user);

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('quota-show prints the project’s limits and id', async () => {
    // Act
    const out = await cli(['quota-show', '--tenant', PROJECT]);
    // Assess
    expect(out.status).toBe(0);
    expect(properties(out.stdout)).toEqual({ checkpoints: '-1', id: PROJECT, plans: '50' });
  });

  it('quota-update sets the plans quota and quota-show --detail prints it with the usage', async () => {
    // Act
    const update = await cli(['quota-update', PROJECT, '--plans', '5']);
    const detail = await cli(['quota-show', '--tenant', PROJECT, '--detail']);
    // Assess
    expect(update.status).toBe(0);
    expect(properties(update.stdout)).toEqual({ checkpoints: '-1', plans: '5' });
    expect(detail.status).toBe(0);
    expect(properties(detail.stdout)).toEqual({
      checkpoints: 'in_use = 0\nlimit = -1\nreserved = 0',
      id: PROJECT,
      plans: 'in_use = 0\nlimit = 5\nreserved = 0',
    });
  });

  it('quota-update prints the server’s 400 for a limit below -1', async () => {
    // Act
    const out = await cli(['quota-update', PROJECT, '--plans', '-3']);
    // Assess
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain('Quota limit must be -1 or greater.');
  });

  it('quota-update is refused to a member with the policy message', async () => {
    // Act
    const out = await cli(['quota-update', PROJECT, '--plans', '100'], 'alice');
    // Assess
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain("Policy doesn't allow quota:update to be performed.");
  });

  it('quota-class-update changes the default class, which quota-defaults and quota-class-show print', async () => {
    // Act
    const update = await cli(['quota-class-update', 'default', '--plans', '20']);
    const defaults = await cli(['quota-defaults', '--tenant', 'another-project']);
    const show = await cli(['quota-class-show', 'default']);
    const other = await cli(['quota-show', '--tenant', 'another-project']);
    // Assess
    expect(update.status).toBe(0);
    expect(properties(update.stdout)).toEqual({ checkpoints: '-1', plans: '20' });
    expect(properties(defaults.stdout)).toEqual({ checkpoints: '-1', id: 'another-project', plans: '20' });
    expect(properties(show.stdout)).toEqual({ checkpoints: '-1', id: 'default', plans: '20' });
    expect(properties(other.stdout)).toMatchObject({ plans: '20' });
  });

  it('quota-class-show prints a class that was never set with the defaults beneath it', async () => {
    // Act
    const out = await cli(['quota-class-show', 'gold']);
    // Assess
    expect(out.status).toBe(0);
    expect(properties(out.stdout)).toMatchObject({ id: 'gold', checkpoints: '-1' });
  });
});

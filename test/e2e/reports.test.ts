import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'reportproj';
const OTHER = 'reportother';

interface JobRecord {
  project_id: string;
  id: string;
  operation_type: string;
  outcome: string;
  started_at: string;
  ended_at: string | null;
  duration_seconds: number | null;
  reason: string | null;
}

/** RFC 4180 lines of a CSV file (no field here holds a line break). */
const csvLines = (text: string): string[] => text.split('\r\n').filter((l) => l.length > 0);

describe('reports over the local HTTP server (extension, docs/decisions.md §22)', () => {
  let server: TestServer;
  let planId: string;

  const createPlan = async (project: string) => {
    const res = await server.call('POST', `/v1/${project}/plans`, {
      body: {
        plan: { name: `plan of ${project}`, provider_id: NOOP, parameters: {}, resources: [{ id: project, type: 'OS::Keystone::Project', name: project }] },
      },
    });
    expect(res.status).toBe(200);
    return res.body.plan.id as string;
  };
  /** A checkpoint of the plan, waited for until available. */
  const protect = async (project: string, plan: string): Promise<string> => {
    const made = await server.call('POST', `/v1/${project}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: plan } } });
    expect(made.status).toBe(200);
    const id = made.body.checkpoint.id as string;
    const shown = await waitFor(
      () => server.call('GET', `/v1/${project}/providers/${NOOP}/checkpoints/${id}`),
      (r) => r.body.checkpoint.status === 'available',
    );
    expect(shown.body.checkpoint.status).toBe('available');
    return id;
  };
  const logsOf = async (project: string): Promise<Array<{ id: string; operation_type: string; status: string }>> =>
    (await server.call('GET', `/v1/${project}/operation_logs?limit=1000`)).body.operation_logs;
  /** Fetches a link as a client would: no token, the link alone. */
  const fetchLink = async (href: string) => {
    const res = await fetch(href);
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text: await res.text() };
  };
  const linkOf = (report: { links: Array<{ rel: string; href: string }> }, rel: string) => report.links.find((l) => l.rel === rel)?.href ?? '';

  beforeAll(async () => {
    server = await startTestServer();
    planId = await createPlan(P);
    // Prepare: jobs of four kinds in the project (protect, restore, verify, delete), one protect in another project.
    const kept = await protect(P, planId);
    const gone = await protect(P, planId);
    const restore = await server.call('POST', `/v1/${P}/restores`, { body: { restore: { provider_id: NOOP, checkpoint_id: kept, parameters: {} } } });
    const verify = await server.call('POST', `/v1/${P}/verifications`, { body: { verification: { provider_id: NOOP, checkpoint_id: kept } } });
    await server.call('DELETE', `/v1/${P}/providers/${NOOP}/checkpoints/${gone}`);
    await waitFor(
      () => logsOf(P),
      (logs) => logs.length === 5 && logs.every((l) => !['protecting', 'in_progress', 'deleting'].includes(l.status)),
    );
    expect(restore.status).toBe(200);
    expect(verify.status).toBe(200);
    await protect(OTHER, await createPlan(OTHER));
  });
  afterAll(async () => {
    await server.stop();
  });

  it('writes one row per job of the project, in JSON and CSV, and each plan with its compliance, behind short-lived links', async () => {
    // Act
    const res = await server.call('POST', `/v1/${P}/reports`, { body: { report: {} }, token: `alice:${P}` });
    // Assess
    expect(res.status).toBe(200);
    const report = res.body.report;
    const logs = await logsOf(P);
    expect(report).toMatchObject({ project_id: P, all_projects: false, job_count: logs.length, plan_count: 1 });
    expect(report.links.map((l: { rel: string }) => l.rel)).toEqual(['report.json', 'jobs.csv', 'plans.csv']);

    const json = await fetchLink(linkOf(report, 'report.json'));
    expect(json.status).toBe(200);
    expect(json.type).toBe('application/json');
    expect(json.disposition).toContain(`karbor-report-${report.id}-report.json`);
    const body = JSON.parse(json.text).report;
    const jobs: JobRecord[] = body.jobs;
    expect(jobs.map((j) => j.id).sort()).toEqual(logs.map((l) => l.id).sort());
    expect(new Set(jobs.map((j) => j.operation_type))).toEqual(new Set(['protect', 'restore', 'verify', 'delete']));
    for (const j of jobs) {
      expect(j.project_id).toBe(P);
      expect(j.ended_at).not.toBeNull();
      expect(j.duration_seconds).toBeGreaterThanOrEqual(0);
      expect(['succeeded', 'failed']).toContain(j.outcome);
    }
    expect(body.plans).toEqual([
      expect.objectContaining({ project_id: P, plan_id: planId, compliance: 'compliant', last_good_checkpoint_at: expect.any(String) }),
    ]);

    const jobsCsv = await fetchLink(linkOf(report, 'jobs.csv'));
    expect(jobsCsv.status).toBe(200);
    expect(jobsCsv.type).toContain('text/csv');
    const lines = csvLines(jobsCsv.text);
    expect(lines[0].split(',')).toEqual(
      expect.arrayContaining(['id', 'operation_type', 'outcome', 'started_at', 'ended_at', 'duration_seconds', 'reason', 'size_bytes']),
    );
    expect(lines).toHaveLength(logs.length + 1);
    const idColumn = lines[0].split(',').indexOf('id');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[idColumn])
        .sort(),
    ).toEqual(logs.map((l) => l.id).sort());
    const plansCsv = csvLines((await fetchLink(linkOf(report, 'plans.csv'))).text);
    expect(plansCsv).toHaveLength(2);
    expect(plansCsv[1]).toContain(planId);
  });

  it('shows a report again with fresh links; an unknown or another project’s report is a 404', async () => {
    const made = (await server.call('POST', `/v1/${P}/reports`, { body: { report: {} } })).body.report;
    const shown = await server.call('GET', `/v1/${P}/reports/${made.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.report).toMatchObject({ id: made.id, job_count: made.job_count, plan_count: 1 });
    expect((await fetchLink(linkOf(shown.body.report, 'jobs.csv'))).status).toBe(200);
    const elsewhere = await server.call('GET', `/v1/${OTHER}/reports/${made.id}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toEqual({ itemNotFound: { code: 404, message: `Report ${made.id} could not be found.` } });
    expect((await server.call('GET', `/v1/${P}/reports/not-a-report`)).status).toBe(404);
  });

  it('lists the project reports by id, a page at a time, without links, and none of another project', async () => {
    // Prepare
    const made: Array<{ id: string; job_count: number }> = [];
    for (let i = 0; i < 2; i += 1) made.push((await server.call('POST', `/v1/${P}/reports`, { body: { report: {} } })).body.report);
    // Act
    const all = (await server.call('GET', `/v1/${P}/reports`)).body;
    const first = (await server.call('GET', `/v1/${P}/reports?limit=1`)).body;
    const second = (await server.call('GET', `/v1/${P}/reports?limit=1&marker=${first.reports[0].id}`)).body;
    const theirs = (await server.call('GET', `/v1/${OTHER}/reports`)).body;
    // Assess
    const ids = all.reports.map((r: { id: string }) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(made.map((r) => r.id)));
    expect(all.reports[0]).not.toHaveProperty('links');
    expect(all.reports.find((r: { id: string }) => r.id === made[0].id)).toMatchObject({ project_id: P, job_count: made[0].job_count });
    expect(first.reports).toHaveLength(1);
    expect(first.reports_links[0].href).toContain(`marker=${first.reports[0].id}`);
    expect(second.reports[0].id).toBe(ids[1]);
    expect(theirs.reports.map((r: { id: string }) => r.id)).not.toEqual(expect.arrayContaining([made[0].id]));
  });

  it('refuses a link whose signature or file was changed, as S3 refuses a presigned URL', async () => {
    const made = (await server.call('POST', `/v1/${P}/reports`, { body: { report: {} } })).body.report;
    const href = new URL(linkOf(made, 'jobs.csv'));
    const otherFile = new URL(href);
    otherFile.searchParams.set('key', (href.searchParams.get('key') ?? '').replace('jobs.csv', 'plans.csv'));
    const forged = new URL(href);
    forged.searchParams.set('signature', 'x'.repeat(43));
    const later = new URL(href);
    later.searchParams.set('expires', String(Number(href.searchParams.get('expires')) + 3600));
    for (const bad of [otherFile, forged, later]) expect((await fetchLink(bad.toString())).status).toBe(403);
  });

  it('covers every project for an admin asking all_projects, and refuses it to a member with 403', async () => {
    const member = await server.call('POST', `/v1/${P}/reports`, { body: { report: { all_projects: true } }, token: `alice:${P}` });
    expect(member.status).toBe(403);
    expect(member.body).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow report:create_all_projects to be performed." } });
    const admin = await server.call('POST', `/v1/${P}/reports`, { body: { report: { all_projects: true } } });
    expect(admin.status).toBe(200);
    const body = JSON.parse((await fetchLink(linkOf(admin.body.report, 'report.json'))).text).report;
    const projects = new Set(body.jobs.map((j: JobRecord) => j.project_id));
    expect(projects).toEqual(new Set([P, OTHER]));
    expect(body.jobs).toHaveLength((await logsOf(P)).length + (await logsOf(OTHER)).length);
    expect(body.plans.map((p: { project_id: string }) => p.project_id).sort()).toEqual([OTHER, P]);
  });

  it('counts only the jobs that started in the window', async () => {
    const res = await server.call('POST', `/v1/${P}/reports`, { body: { report: { since: '2020-01-01T00:00:00Z', until: '2020-01-02T00:00:00Z' } } });
    expect(res.status).toBe(200);
    expect(res.body.report).toMatchObject({ job_count: 0, plan_count: 1 });
  });

  it('refuses a bad window and a bad body with Karbor’s 400', async () => {
    const cases = [
      { report: { since: 'yesterday' } },
      { report: { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' } },
      { report: { since: '2026-01-01T00:00:00Z', until: '2026-03-01T00:00:00Z' } },
      { report: { colour: 'blue' } },
      {},
    ];
    for (const body of cases) {
      const res = await server.call('POST', `/v1/${P}/reports`, { body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ badRequest: { code: 400, message: expect.any(String) } });
    }
  });
});

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, type Checkpoint, type Destination, formatFullTime, formatTime, type Plan, type PlanResourceInput, type RequestBody, type Session } from './api';
import { type ProjectData, useAdmin, useProjectData } from './data';
import { Copies } from './Copies';
import { Verifications } from './Verifications';
import { Jobs, Restores } from './Jobs';
import { NewPlan } from './NewPlan';
import { Coverage } from './Coverage';
import { OperationLogView } from './OperationLog';
import { OverviewView } from './OverviewView';
import { type ScheduleRequest, Plans } from './Plans';
import { hrefOf, type Route, useRoute, VIEWS } from './router';
import { Schedules } from './Schedules';
import { AllProjects, useConfirm, ViewBoundary } from './ui';

/** What the panels may do; each action reports in the live region and reloads the data. */
export interface Actions {
  startCheckpoint(plan: Plan): void;
  restore(c: Checkpoint): void;
  deleteCheckpoint(c: Checkpoint): void;
  createPlan(plan: { name: string; provider_id: string; resources: PlanResourceInput[] }): Promise<boolean>;
  attachSchedule(plan: Plan, request: ScheduleRequest): Promise<boolean>;
  /** Karbor's copy route: every available checkpoint of the checkpoint's plan not yet copied to its destinations. */
  copy(c: Checkpoint): void;
  verify(c: Checkpoint): void;
  /** Locks (or extends the lock of) a checkpoint: governance or compliance until a date (docs/decisions.md §19). */
  lock(c: Checkpoint): void;
  /** Lifts a governance lock (admins only). */
  unlock(c: Checkpoint): void;
  /** Places (true) or releases (false, admins only) a legal hold. */
  hold(c: Checkpoint, on: boolean): void;
}

/** Who is signed in, as far as the views need it: admins may unlock and release, and list every project. */
export interface Viewer {
  admin: boolean;
  destinations: Destination[];
}

/** The first day a new lock may end on (locks end after now), as an input of type date takes it. */
const dayAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const short = (id: string) => id.slice(0, 8);

/**
 * What a restore names a resource when no restore_name is given (the plugins' defaults; a table's follows
 * the restore-target rule, shared/features/protection/restore-name.ts: its names start with karbor-restore-).
 */
const restoredNameHint = (type: string, id: string): string =>
  type === 'AWS::DynamoDB::Table'
    ? `a new table karbor-restore-${id}-<restore id> (a name you type gets the karbor-restore- prefix)`
    : type.startsWith('AWS::EC2::')
      ? `a new ${type === 'AWS::EC2::Volume' ? 'volume' : 'instance'} tagged Name=restore of ${id}`
      : 'nothing to name (this provider makes no resource for it)';

export const Dashboard = ({
  session,
  onSignOut,
  onTokenRefused,
}: {
  session: Session;
  onSignOut: (message?: string) => void;
  /** The API answered 401: the App refreshes the token or asks for one, keeping this view. */
  onTokenRefused: (message: string) => void;
}) => {
  const viewer = useAdmin(session);
  const [allProjects, setAllProjects] = useState(false);
  const { data, error, retryAt, refresh } = useProjectData(session, onTokenRefused, viewer.admin && allProjects);
  const [message, setMessage] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const confirm = useConfirm();

  const run = async (done: string, work: () => Promise<unknown>): Promise<boolean> => {
    setFailure(undefined);
    setMessage(undefined);
    try {
      await work();
      setMessage(done);
      return true;
    } catch (e) {
      setFailure(`${done.replace(/\.$/, '')} failed: ${(e as Error).message}`);
      return false;
    } finally {
      void refresh();
    }
  };

  const base: Omit<Actions, 'copy' | 'verify' | 'lock' | 'unlock' | 'hold'> = {
    startCheckpoint: (plan) =>
      void run(`Checkpoint of ${plan.name} started.`, () =>
        call<'checkpoints.create'>(session, 'POST', `/providers/${plan.provider_id}/checkpoints`, { checkpoint: { plan_id: plan.id } }),
      ),
    restore: async (c) => {
      const resources = c.protection_plan.resources;
      const names = await confirm.ask(
        'Restore this checkpoint?',
        `Restoring checkpoint ${short(c.id)} of ${c.protection_plan.name} makes new resources from it: nothing that exists is overwritten. ` +
          'Each is named as below; the restore lists what it made under Restores.',
        'Restore',
        resources.map((r) => ({ key: `${r.type}#${r.id}`, label: `${r.name ?? r.id} (${r.type}) restored as`, placeholder: restoredNameHint(r.type, r.id) })),
      );
      if (names)
        void run(`Restore of checkpoint ${short(c.id)} started.`, () =>
          call<'restores.create'>(session, 'POST', '/restores', {
            restore: {
              provider_id: c.provider_id,
              checkpoint_id: c.id,
              restore_target: null,
              // restore_name per resource (`<type>#<id>`), only where one was typed: the plugin's default otherwise.
              parameters: Object.fromEntries(Object.entries(names).map(([key, name]) => [key, { restore_name: name }])),
            },
          }),
        );
    },
    deleteCheckpoint: async (c) => {
      const yes = await confirm.ask(
        'Delete this checkpoint?',
        `Checkpoint ${short(c.id)} of ${c.protection_plan.name} and its backups will be deleted. This cannot be undone.`,
        'Delete checkpoint',
      );
      if (yes)
        void run(`Checkpoint ${short(c.id)} is being deleted.`, () =>
          call<'checkpoints.delete'>(session, 'DELETE', `/providers/${c.provider_id}/checkpoints/${c.id}`),
        );
    },
    createPlan: (plan) => run(`Plan ${plan.name} created.`, () => call<'plans.create'>(session, 'POST', '/plans', { plan: { ...plan, parameters: {} } })),
    attachSchedule: (plan, r) =>
      run(`Schedule attached to ${plan.name}.`, async () => {
        const triggerId =
          r.triggerId ??
          (
            await call<'triggers.create'>(session, 'POST', '/triggers', {
              trigger_info: { name: r.name, type: 'time', properties: { format: r.format, pattern: r.pattern } },
            })
          ).trigger_info.id;
        const definition: RequestBody<'scheduledOperations.create'>['scheduled_operation']['operation_definition'] = {
          provider_id: plan.provider_id,
          plan_id: plan.id,
          ...(r.operationType === 'retention_protect' && r.maxBackups ? { max_backups: r.maxBackups } : {}),
        };
        await call<'scheduledOperations.create'>(session, 'POST', '/scheduled_operations', {
          scheduled_operation: { name: r.name, operation_type: r.operationType, trigger_id: triggerId, operation_definition: definition },
        });
      }),
  };

  const checkpointPath = (c: Checkpoint) => `/providers/${c.provider_id}/checkpoints/${c.id}`;
  const setLock = (done: string, c: Checkpoint, body: RequestBody<'checkpoints.lock'>) =>
    void run(done, () => call<'checkpoints.lock'>(session, 'PUT', `${checkpointPath(c)}/lock`, body));
  const more: Pick<Actions, 'copy' | 'verify' | 'lock' | 'unlock' | 'hold'> = {
    copy: async (c) => {
      const plan = c.protection_plan;
      const where = viewer.destinations.length ? viewer.destinations.map((d) => d.name).join(', ') : "the plan's destinations, else its provider's default";
      const yes = await confirm.ask(
        'Copy the checkpoints of this plan?',
        `Karbor copies every available checkpoint of ${plan.name} not yet copied to each destination (${where}), checkpoint ${short(c.id)} included. ` +
          'Each copy is a new checkpoint, listed under Copies.',
        'Copy',
      );
      if (yes)
        void run(`Copy of the checkpoints of ${plan.name} started.`, () =>
          call<'checkpoints.copy'>(session, 'POST', `/providers/${c.provider_id}/checkpoints/action`, { copy: { plan_id: plan.id } }),
        );
    },
    verify: (c) =>
      void run(`Verification of checkpoint ${short(c.id)} started.`, () =>
        call<'verifications.create'>(session, 'POST', '/verifications', { verification: { provider_id: c.provider_id, checkpoint_id: c.id, parameters: {} } }),
      ),
    lock: async (c) => {
      const answer = await confirm.ask(
        'Lock this checkpoint?',
        `Checkpoint ${short(c.id)} of ${c.protection_plan.name} cannot be deleted until the lock ends, by retention neither. A lock can be extended later.`,
        'Lock',
        [
          {
            key: 'mode',
            label: 'Mode',
            type: 'select',
            value: c.lock?.mode ?? 'governance',
            options: [
              { value: 'governance', label: 'governance (an admin may shorten or lift it)' },
              { value: 'compliance', label: 'compliance (nobody can shorten or lift it)' },
            ],
          },
          { key: 'until', label: 'Locked until (UTC, the start of the day)', type: 'date', value: c.lock?.until.slice(0, 10) ?? dayAfter(30) },
        ],
      );
      if (!answer) return;
      const mode = answer.mode === 'compliance' ? 'compliance' : 'governance';
      const until = `${answer.until ?? dayAfter(30)}T00:00:00Z`;
      if (mode === 'compliance') {
        const sure = await confirm.ask(
          'Lock in compliance mode? This cannot be undone.',
          `Nobody, not even an admin, can shorten or lift a compliance lock: checkpoint ${short(c.id)} and its backups stay until ${formatTime(Date.parse(until))}.`,
          'Lock in compliance mode',
        );
        if (!sure) return;
      }
      setLock(`Checkpoint ${short(c.id)} locked (${mode}) until ${formatTime(Date.parse(until))}.`, c, { lock: { mode, until } });
    },
    unlock: async (c) => {
      const yes = await confirm.ask('Lift the lock?', `Checkpoint ${short(c.id)} can then be deleted, by retention too.`, 'Lift lock');
      if (yes) setLock(`The lock of checkpoint ${short(c.id)} was lifted.`, c, { lock: null });
    },
    hold: async (c, on) => {
      const yes = await confirm.ask(
        on ? 'Place a legal hold?' : 'Release the legal hold?',
        on
          ? `Checkpoint ${short(c.id)} cannot be deleted, whatever its lock says, until an admin releases the hold.`
          : `Checkpoint ${short(c.id)} can then be deleted, unless a lock still binds it.`,
        on ? 'Place hold' : 'Release hold',
      );
      if (yes) setLock(on ? `Checkpoint ${short(c.id)} is on legal hold.` : `The legal hold of checkpoint ${short(c.id)} was released.`, c, { legal_hold: on });
    },
  };
  const actions: Actions = { ...base, ...more };

  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // A new view takes the focus to its heading (a screen reader hears where it is); not on the first load.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h2')?.focus();
  }, [route.view]);
  const title = VIEWS.find((v) => v.id === route.view)?.title ?? '';
  useEffect(() => {
    document.title = `${title} · Karbor console`;
  }, [title]);

  return (
    <>
      {/* A button, not a link: a link's #target would be taken for a route. */}
      <button type="button" class="skip" onClick={() => main.current?.querySelector<HTMLElement>('h2')?.focus()}>
        Skip to the view
      </button>
      <header>
        <h1>Karbor console</h1>
        <nav aria-label="Views" class="views">
          {VIEWS.map((v) => (
            <a key={v.id} href={hrefOf(v.id)} aria-current={v.id === route.view ? 'page' : undefined}>
              {v.title}
            </a>
          ))}
        </nav>
        <p class="who">
          {viewer.admin ? (
            <label class="check">
              <input type="checkbox" checked={allProjects} onChange={(e) => setAllProjects(e.currentTarget.checked)} /> All projects
            </label>
          ) : null}{' '}
          Project <strong>{session.project}</strong>{' '}
          <button type="button" onClick={() => onSignOut()}>
            Sign out
          </button>
        </p>
      </header>
      <main id="main" ref={main}>
        <div class="messages">
          <div role="status" class="notice">
            {message}
          </div>
          <div role="alert" class="error">
            {failure ?? (error ? `Could not load the project: ${error}.${retryAt ? ` Trying again at ${formatFullTime(retryAt)}.` : ''}` : '')}
          </div>
          {error && !failure ? (
            <button type="button" class="retry" onClick={() => void refresh()}>
              Try now
            </button>
          ) : null}
        </div>
        {data ? (
          // Keyed by view: a view that failed is tried again once the operator comes back to it.
          <AllProjects.Provider value={viewer.admin && allProjects}>
            <ViewBoundary key={route.view} name={title}>
              <View route={route} data={data} session={session} actions={actions} viewer={viewer} />
            </ViewBoundary>
          </AllProjects.Provider>
        ) : (
          <p aria-busy="true">Loading…</p>
        )}
      </main>
      {confirm.element}
    </>
  );
};

/** The view the route names; Plans carries the new-plan form below its list, each in its own boundary. */
const View = ({
  route,
  data,
  session,
  actions,
  viewer,
}: {
  route: Route;
  data: ProjectData;
  session: Session;
  actions: Actions;
  viewer: Viewer;
}): ComponentChildren => {
  switch (route.view) {
    case 'overview':
      return <OverviewView data={data} />;
    case 'plans':
      return (
        <>
          <ViewBoundary name="Plans">
            <Plans data={data} actions={actions} open={route.item} viewer={viewer} />
          </ViewBoundary>
          <ViewBoundary name="New plan">
            <NewPlan session={session} providers={data.providers} actions={actions} />
          </ViewBoundary>
        </>
      );
    case 'jobs':
      return <Jobs data={data} />;
    case 'restores':
      return <Restores data={data} />;
    case 'schedules':
      return <Schedules data={data} />;
    case 'log':
      return <OperationLogView data={data} />;
    case 'copies':
      return <Copies data={data} viewer={viewer} />;
    case 'verifications':
      return <Verifications data={data} />;
    case 'coverage':
      return <Coverage session={session} />;
  }
};

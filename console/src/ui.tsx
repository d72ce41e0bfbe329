import { Component, type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useRef, useState } from 'preact/hooks';
import { FAILED, type Progress, RUNNING } from './api';

/** The outcome class of a status: the one place that maps statuses to colours. */
export const outcome = (status: string): 'ok' | 'failed' | 'running' | 'other' =>
  FAILED.has(status) ? 'failed' : RUNNING.has(status) ? 'running' : ['available', 'success', 'succeeded'].includes(status) ? 'ok' : 'other';

/** Whether the views list every project (an admin's all-projects switch): rows then name their project. */
export const AllProjects = createContext(false);

/** A row's project, shown only while the views list every project; `undefined` when the API does not say. */
export const ProjectOf = ({ id }: { id: string | undefined }) =>
  useContext(AllProjects) ? <div class="sub project">project {id ?? 'not shown by this API'}</div> : null;

export const Status = ({ status }: { status: string }) => <span class={`status status-${outcome(status)}`}>{status}</span>;

export const ProgressBar = ({ progress, label }: { progress?: Progress; label: string }) => {
  if (!progress) return null;
  const { percent, resources_done: done, resources_failed: failed, resources_total: total } = progress;
  return (
    <div class="progress">
      <progress max={100} value={percent ?? undefined} aria-label={label} />
      <span>
        {percent === null ? 'starting' : `${percent}%`} · {done}/{total ?? '?'} resources{failed ? `, ${failed} failed` : ''}
      </span>
    </div>
  );
};

/** Per-resource status (`type#id` keys) with each resource's failure reason. */
export const ResourceStatus = ({ status, reasons }: { status?: Record<string, string>; reasons?: Record<string, string> }) => {
  const entries = Object.entries(status ?? {});
  if (!entries.length) return null;
  return (
    <ul class="resources" aria-label="Resources">
      {entries.map(([key, s]) => (
        <li key={key}>
          <code>{key}</code> <Status status={s} />
          {reasons?.[key] ? <span class="reason"> {reasons[key]}</span> : null}
        </li>
      ))}
    </ul>
  );
};

/**
 * A scrolling table: its header row from `columns` (a `wide` one hides on narrow screens), its body from `children`.
 * The scrolling box takes the keyboard focus (arrow keys scroll it), named after its columns.
 */
export const Table = ({ columns, children }: { columns: readonly (string | { label: string; wide: true })[]; children: ComponentChildren }) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard (axe scrollable-region-focusable)
  <section class="scroll" tabIndex={0} aria-label={`Table: ${columns.map((c) => (typeof c === 'string' ? c : c.label)).join(', ')}`}>
    <table>
      <thead>
        <tr>
          {columns.map((c) =>
            typeof c === 'string' ? (
              <th key={c} scope="col">
                {c}
              </th>
            ) : (
              <th key={c.label} scope="col" class="wide">
                {c.label}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  </section>
);

/** A job's status cell: its status, its reason, and its progress while it runs. */
export const JobStatus = ({ job, label }: { job: { status: string; status_reason?: string | null; progress?: Progress }; label: string }) => (
  <>
    <Status status={job.status} />
    {job.status_reason ? <div class="reason">{job.status_reason}</div> : null}
    {RUNNING.has(job.status) ? <ProgressBar progress={job.progress} label={label} /> : null}
  </>
);

export const Section = ({ id, title, children }: { id: string; title: string; children: ComponentChildren }) => (
  <section id={id} aria-labelledby={`${id}-title`}>
    <h2 id={`${id}-title`} tabIndex={-1}>
      {title}
    </h2>
    {children}
  </section>
);

/**
 * A field of a confirmation, answered under `key`: a text field (empty, the placeholder, the default, applies),
 * a date, or a choice of `options`; `value` is what it starts with.
 */
export interface QuestionField {
  key: string;
  label: string;
  placeholder?: string;
  type?: 'text' | 'date' | 'select';
  options?: readonly { value: string; label: string }[];
  value?: string;
  /** Why the field matters, shown under it. */
  help?: string;
}

const FieldInput = ({ f, id }: { f: QuestionField; id: string }) => {
  if (f.type === 'select')
    return (
      <select id={id} name={f.key} value={f.value}>
        {f.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  if (f.type === 'date') return <input id={id} name={f.key} type="date" required value={f.value} />;
  return <input id={id} name={f.key} type="text" placeholder={f.placeholder} maxLength={255} value={f.value} />;
};

interface Question {
  title: string;
  message: string;
  confirm: string;
  fields: QuestionField[];
  resolve: (answer: false | Record<string, string>) => void;
}

/**
 * A modal confirmation (native <dialog>: focus moves in, Escape cancels, focus returns): `await ask(...)` is
 * false when cancelled, else the fields' values by key (only those filled in).
 */
export const useConfirm = () => {
  const [question, setQuestion] = useState<Question | undefined>();
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const ask = useCallback(
    (title: string, message: string, confirm: string, fields: QuestionField[] = []) =>
      new Promise<false | Record<string, string>>((resolve) => {
        setQuestion({ title, message, confirm, fields, resolve });
        requestAnimationFrame(() => dialog.current?.showModal());
      }),
    [],
  );
  const answer = (yes: boolean) => {
    const values: Record<string, string> = {};
    if (yes && form.current) {
      for (const [k, v] of new FormData(form.current)) if (typeof v === 'string' && v.trim() !== '') values[k] = v.trim();
    }
    dialog.current?.close();
    question?.resolve(yes ? values : false);
    setQuestion(undefined);
  };
  const element = (
    <dialog ref={dialog} aria-labelledby="confirm-title" aria-describedby="confirm-message" onCancel={() => answer(false)}>
      <h2 id="confirm-title">{question?.title}</h2>
      <p id="confirm-message">{question?.message}</p>
      {question && question.fields.length > 0 ? (
        <form ref={form} class="fields" onSubmit={(e) => e.preventDefault()}>
          {question.fields.map((f) => (
            <label key={f.key} for={`field-${f.key}`}>
              {f.label}
              <FieldInput f={f} id={`field-${f.key}`} />
              {f.help ? <small>{f.help}</small> : f.placeholder ? <small>Empty: {f.placeholder}</small> : null}
            </label>
          ))}
        </form>
      ) : null}
      <div class="actions">
        <button type="button" onClick={() => answer(false)} autofocus>
          Cancel
        </button>
        <button type="button" class="danger" onClick={() => answer(true)}>
          {question?.confirm}
        </button>
      </div>
    </dialog>
  );
  return { ask, element };
};

/**
 * Keeps one view's failure inside that view: it says what failed and the
 * other views go on working (a render error would otherwise blank the page).
 */
export class ViewBoundary extends Component<{ name: string; children: ComponentChildren }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidCatch(error: Error) {
    console.error(`console view ${this.props.name} failed`, error);
  }
  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section class="view-failed" aria-label={this.props.name}>
        <h2>{this.props.name}</h2>
        <p role="alert" class="error">
          This view failed to show: {error.message}{' '}
          <button type="button" onClick={() => this.setState({ error: undefined })}>
            Try again
          </button>
        </p>
      </section>
    );
  }
}

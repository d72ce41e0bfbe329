import { useEffect, useState } from 'preact/hooks';
import { call, type PlanResourceInput, type ProtectableInstance, type Provider, type Session } from './api';
import type { Actions } from './Dashboard';
import { Section } from './ui';

const keyOf = (r: PlanResourceInput) => `${r.type}#${r.id}`;

/** A plan from discovered resources: pick a type, discover its instances (protectables), tick some, name the plan. */
export const NewPlan = ({ session, providers, actions }: { session: Session; providers: Provider[]; actions: Actions }) => {
  const [types, setTypes] = useState<string[]>([]);
  const [type, setType] = useState('');
  const [found, setFound] = useState<ProtectableInstance[] | undefined>();
  const [chosen, setChosen] = useState<Map<string, PlanResourceInput>>(new Map());
  const [name, setName] = useState('');
  const [providerId, setProviderId] = useState(providers[0]?.id ?? '');
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    void call<'protectables.list'>(session, 'GET', '/protectables').then(
      (r) => {
        setTypes(r.protectable_type);
        setType(r.protectable_type[0] ?? '');
      },
      (e: Error) => setError(e.message),
    );
  }, [session]);

  const discover = async () => {
    setError(undefined);
    try {
      const r = await call<'protectables.listInstances'>(session, 'GET', `/protectables/${encodeURIComponent(type)}/instances`);
      setFound(r.instances);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const toggle = (r: ProtectableInstance, on: boolean) => {
    const next = new Map(chosen);
    if (on) next.set(keyOf(r), { id: r.id, type: r.type, name: r.name });
    else next.delete(keyOf(r));
    setChosen(next);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await actions.createPlan({ name, provider_id: providerId, resources: [...chosen.values()] })) {
      setChosen(new Map());
      setName('');
    }
  };

  return (
    <Section id="new-plan" title="New plan">
      <form class="grid" onSubmit={submit}>
        <label for="np-name">Plan name</label>
        <input id="np-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="np-provider">Provider</label>
        <select id="np-provider" value={providerId} onChange={(e) => setProviderId(e.currentTarget.value)}>
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <label for="np-type">Resource type</label>
        <div class="row">
          <select id="np-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
            {types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <button type="button" onClick={discover} disabled={!type}>
            Discover
          </button>
        </div>
        {error ? (
          <p role="alert" class="error span">
            {error}
          </p>
        ) : null}
        {found ? (
          <fieldset class="span">
            <legend>
              {type} instances ({found.length})
            </legend>
            {found.length === 0 ? <p>None found.</p> : null}
            {found.map((r) => (
              <label key={keyOf(r)} class="check">
                <input type="checkbox" checked={chosen.has(keyOf(r))} onChange={(e) => toggle(r, e.currentTarget.checked)} /> {r.name ?? r.id}{' '}
                <code>{r.id}</code>
              </label>
            ))}
          </fieldset>
        ) : null}
        <p class="span sub" aria-live="polite">
          {chosen.size} resource{chosen.size === 1 ? '' : 's'} chosen{chosen.size ? `: ${[...chosen.keys()].join(', ')}` : ''}
        </p>
        <button type="submit" disabled={chosen.size === 0}>
          Create plan
        </button>
      </form>
    </Section>
  );
};

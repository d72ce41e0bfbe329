import { copyInfo } from './checkpoint-state';
import type { Viewer } from './Dashboard';
import type { ProjectData } from './data';
import { LockState } from './Plans';
import { JobStatus, ProjectOf, Section, Table } from './ui';

const short = (id: string) => id.slice(0, 8);

/**
 * Checkpoint copies (Karbor's copy route, docs/decisions.md §15 and §25): each copy is a checkpoint whose
 * extra_info names its source and destination; admins also see the configured destinations.
 */
export const Copies = ({ data, viewer }: { data: ProjectData; viewer: Viewer }) => {
  const copies = data.checkpoints.flatMap((c) => {
    const info = copyInfo(c);
    return info ? [{ c, info }] : [];
  });
  // A destination is named by its configured name, the provider (a copy to the provider itself) by the provider's.
  const where = (destination?: string) => {
    if (!destination) return 'not recorded yet';
    const d = viewer.destinations.find((x) => x.name === destination);
    if (d) return `${d.name} (${d.region}, ${d.account_id ? `account ${d.account_id}` : 'this account'})`;
    const p = data.providers.find((x) => x.id === destination);
    return p ? `${p.name} (the provider itself)` : destination;
  };
  return (
    <Section id="copies" title="Copies">
      <p class="sub">Copy a plan's checkpoints from its details (Copy on a checkpoint): each copy is a new checkpoint, in the destination it names.</p>
      {copies.length === 0 ? (
        <p>No copies yet.</p>
      ) : (
        <Table columns={['Copy', 'Plan', 'Source', 'Destination', 'Status', 'Lock']}>
          {copies.map(({ c, info }) => (
            <tr key={c.id} data-copy={c.id}>
              <th scope="row">
                <code>{short(c.id)}</code>
                <div class="sub">{c.created_at ? `made ${c.created_at}` : 'being made'}</div>
                <ProjectOf id={c.project_id} />
              </th>
              <td>{c.protection_plan.name}</td>
              <td>{info.source ? <code>{short(info.source)}</code> : '—'}</td>
              <td>{where(info.destination)}</td>
              <td>
                <JobStatus job={c} label={`Progress of copy ${short(c.id)}`} />
                {info.copyStatus ? <div class="sub">copy_status {info.copyStatus}</div> : null}
              </td>
              <td>
                <LockState c={c} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      {viewer.admin ? (
        <section id="destinations" aria-labelledby="destinations-title">
          <h3 id="destinations-title">Destinations</h3>
          {viewer.destinations.length === 0 ? (
            <p>No destination is configured: copies go to their provider itself.</p>
          ) : (
            <Table columns={['Destination', 'Region', 'Account', 'Bank', 'Default']}>
              {viewer.destinations.map((d) => (
                <tr key={d.name}>
                  <th scope="row">{d.name}</th>
                  <td>{d.region}</td>
                  <td>{d.account_id ?? 'this account'}</td>
                  <td>{d.bank ?? '—'}</td>
                  <td>{d.default ? 'default' : ''}</td>
                </tr>
              ))}
            </Table>
          )}
        </section>
      ) : null}
    </Section>
  );
};

// `/@scope`: the scope's packages (a range of the search index's names) and its members.
import type { ScopeMember } from "../../api/shapes";
import { Empty, Time } from "../components/bits";
import { PackageList, type PackageItem } from "../components/package-list";
import { formatCount } from "../format";
import { scopeUrl } from "../links";

export interface ScopeView {
  scope: string;
  members: ScopeMember[];
  total: number;
  page: number;
  pageSize: number;
  packages: PackageItem[];
}

export function ScopePage(props: { view: ScopeView }) {
  const v = props.view;
  const owners = v.members.filter((m) => m.role === "owner");
  const members = v.members.filter((m) => m.role === "member");
  return (
    <>
      <h1>{v.scope}</h1>
      <div class="grid-2">
        <section aria-labelledby="packages-heading">
          <h2 id="packages-heading">Packages ({formatCount(v.total)})</h2>
          {v.packages.length === 0 ? <Empty>No listed package.</Empty> : <PackageList items={v.packages} />}
          <nav class="pager" aria-label="Package pages">
            {v.page > 1 ? (
              <a href={`${scopeUrl(v.scope)}?page=${v.page - 1}`} rel="prev">
                ← Previous
              </a>
            ) : null}
            {v.page * v.pageSize < v.total ? (
              <a href={`${scopeUrl(v.scope)}?page=${v.page + 1}`} rel="next">
                Next →
              </a>
            ) : null}
          </nav>
        </section>
        <section aria-labelledby="members-heading">
          <h2 id="members-heading">Members</h2>
          <h3>Owners</h3>
          <MemberList members={owners} />
          <h3>Members</h3>
          <MemberList members={members} />
        </section>
      </div>
    </>
  );
}

function MemberList(props: { members: ScopeMember[] }) {
  if (props.members.length === 0) return <Empty>None.</Empty>;
  return (
    <ul class="links">
      {props.members.map((m) => (
        <li>
          {m.username}{" "}
          <span class="meta-line">
            since <Time at={m.addedAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}

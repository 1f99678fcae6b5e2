// The package page's versions: newest first in SemVer order with their flags, the yanked ones
// behind a <details> toggle (no script needed), at most VERSIONS_SHOWN of each unless all are asked for.
import type { VersionList } from "../../api/shapes";
import { compareVersions, isPrerelease } from "../../domain/versions";
import { Empty, FlagBadges, Time } from "./bits";
import { formatBytes, formatCount, plural } from "../format";
import { packageUrl } from "../links";

/** The most versions the page lists; a package with more links to the full list. */
export const VERSIONS_SHOWN = 100;

export function Versions(props: { list: VersionList; current: string; all: boolean }) {
  const newestFirst = [...props.list.versions].sort((a, b) => compareVersions(b.version, a.version));
  const listed = newestFirst.filter((v) => !v.yanked);
  const yanked = newestFirst.filter((v) => v.yanked);
  const shown = props.all ? listed : listed.slice(0, VERSIONS_SHOWN);
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions ({formatCount(props.list.versions.length)})</h2>
      <VersionTable versions={shown} current={props.current} latest={props.list.latest} name={props.list.name} />
      {shown.length < listed.length ? (
        <p>
          <a href={`${packageUrl(props.list.name, props.current)}?versions=all`}>
            Show all {formatCount(listed.length)} versions
          </a>
        </p>
      ) : null}
      {yanked.length > 0 ? (
        <details>
          <summary>{plural(yanked.length, "yanked version")}</summary>
          <VersionTable
            versions={props.all ? yanked : yanked.slice(0, VERSIONS_SHOWN)}
            current={props.current}
            latest={props.list.latest}
            name={props.list.name}
          />
        </details>
      ) : null}
    </section>
  );
}

function VersionTable(props: {
  versions: VersionList["versions"];
  current: string;
  latest: string | null;
  name: string;
}) {
  if (props.versions.length === 0) return <Empty>None.</Empty>;
  return (
    <table class="versions">
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Published</th>
          <th scope="col">Size</th>
          <th scope="col">Flags</th>
        </tr>
      </thead>
      <tbody>
        {props.versions.map((v) => (
          <tr>
            <td class="v">
              <a
                href={packageUrl(props.name, v.version)}
                aria-current={v.version === props.current ? "page" : undefined}
              >
                {v.version}
              </a>
            </td>
            <td>
              <Time at={v.publishedAt} />
            </td>
            <td>{formatBytes(v.size)}</td>
            <td>
              <FlagBadges
                flags={{
                  latest: v.version === props.latest,
                  prerelease: isPrerelease(v.version),
                  yanked: v.yanked,
                  deprecated: v.deprecated,
                  removed: v.removed,
                  deleted: v.deleted,
                  advisories: v.advisories.length,
                }}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

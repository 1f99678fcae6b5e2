// The package page (`/packages/@scope/name` and `…/1.2.3`): in one screen what the package is,
// whether it is safe, and how to use it — README, install line, versions, dependencies and
// dependents, advisories, license and repository, and the proof in the transparency log.
import type { VersionList, VersionMetadata } from "../../api/shapes";
import { Empty, FlagBadges } from "../components/bits";
import { Install } from "../components/install";
import { Advisories, DependencyAdvisories } from "../components/package-advisories";
import { Facts } from "../components/package-facts";
import { Readme } from "../components/readme";
import { Versions } from "../components/version-table";
import { formatBytes, formatCount } from "../format";
import { dependentsUrl, filesUrl, packageUrl, scopeUrl } from "../links";
import type { DependentsPage, FileEntry } from "../views";

export interface PackagePageView {
  meta: VersionMetadata;
  list: VersionList;
  owners: string[];
  readmeHtml: string | null;
  files: FileEntry[] | null;
  dependents: DependentsPage;
  /** Whether the URL named the version (else it is the latest). */
  pinned: boolean;
}

/** The most files the page lists (an archive may hold 10,000); the API's index has them all. */
export const FILES_SHOWN = 200;

export function PackagePage(props: { view: PackagePageView; allVersions?: boolean }) {
  const { meta, list } = props.view;
  const scope = meta.name.slice(0, meta.name.indexOf("/"));
  return (
    <article>
      <header class="package-head">
        <p class="meta-line">
          <a href={scopeUrl(scope)}>{scope}</a>
        </p>
        <h1>
          {meta.name} <span class="version">{meta.version}</span>{" "}
          <FlagBadges
            flags={{
              latest: list.latest === meta.version,
              prerelease: meta.prerelease,
              yanked: meta.yanked,
              deprecated: meta.deprecated,
              advisories: meta.advisories.length,
            }}
          />
        </h1>
        <p class="description">{meta.description}</p>
        <Notices view={props.view} />
      </header>
      <div class="columns">
        <div>
          <Advisories advisories={meta.advisories} name={meta.name} version={meta.version} />
          <DependencyAdvisories findings={meta.dependencyAdvisories} />
          <section aria-labelledby="readme-heading">
            <h2 id="readme-heading">README</h2>
            <Readme html={props.view.readmeHtml} markdown={meta.readme} />
          </section>
          <Versions list={list} current={meta.version} all={props.allVersions === true} />
          <Dependencies meta={meta} />
          <Dependents page={props.view.dependents} name={meta.name} />
          <Files files={props.view.files} name={meta.name} version={meta.version} />
        </div>
        <aside class="sidebar" aria-label="About this version">
          <Install name={meta.name} version={meta.version} />
          <Facts meta={meta} owners={props.view.owners} />
        </aside>
      </div>
    </article>
  );
}

function Notices(props: { view: PackagePageView }) {
  const { meta, list, pinned } = props.view;
  return (
    <>
      {meta.deprecated ? (
        <div class="notice warn" role="note">
          <p>
            <strong>Deprecated.</strong> {meta.deprecated}
          </p>
        </div>
      ) : null}
      {meta.yanked ? (
        <div class="notice warn" role="note">
          <p>
            <strong>Yanked.</strong> This version is hidden from resolution: lock files that already pin it keep
            working, new projects should not use it.
          </p>
        </div>
      ) : null}
      {pinned && list.latest && list.latest !== meta.version ? (
        <p class="meta-line">
          The latest version is <a href={packageUrl(meta.name, list.latest)}>{list.latest}</a>.
        </p>
      ) : null}
    </>
  );
}

function Dependencies(props: { meta: VersionMetadata }) {
  const m = props.meta;
  return (
    <section aria-labelledby="deps-heading">
      <h2 id="deps-heading">Dependencies</h2>
      <DependencyList title="[dependencies]" deps={m.dependencies} std={m.stdDependencies} />
      <DependencyList title="[dev-dependencies]" deps={m.devDependencies} std={m.devStdDependencies} />
    </section>
  );
}

function DependencyList(props: {
  title: string;
  deps: VersionMetadata["dependencies"];
  std: VersionMetadata["stdDependencies"];
}) {
  return (
    <>
      <h3>
        {props.title} ({props.deps.length + props.std.length})
      </h3>
      {props.deps.length + props.std.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <ul class="deps">
          {props.deps.map((d) => (
            <li>
              <a href={packageUrl(d.name, d.version)}>{d.name}</a> <span class="version">{d.version}</span>
              {d.features.length > 0 ? <span class="meta-line"> features: {d.features.join(", ")}</span> : null}
              {d.defaultFeatures ? null : <span class="meta-line"> (no default features)</span>}
            </li>
          ))}
          {props.std.map((s) => (
            <li>
              <code>{s.name}</code>{" "}
              <span class="meta-line">{s.version ? `bundled, pinned ${s.version}` : "bundled"}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Dependents(props: { page: DependentsPage; name: string }) {
  const { dependents, more } = props.page;
  return (
    <section aria-labelledby="dependents-heading">
      <h2 id="dependents-heading">Dependents</h2>
      {dependents.length === 0 ? (
        <Empty>No published version depends on this package (versions appear here once scanned).</Empty>
      ) : (
        <>
          <ul class="deps">
            {dependents.map((d) => (
              <li>
                <a href={packageUrl(d.name, d.version)}>{d.name}</a> <span class="version">{d.version}</span>{" "}
                <span class="meta-line">
                  pins {d.pins}
                  {d.dev ? " (dev)" : ""}
                </span>
              </li>
            ))}
          </ul>
          {more ? (
            <p>
              The first {formatCount(dependents.length)}: <a href={dependentsUrl(props.name)}>all of them</a> (JSON).
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

function Files(props: { files: FileEntry[] | null; name: string; version: string }) {
  const files = props.files;
  const shown = files?.slice(0, FILES_SHOWN) ?? [];
  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">Files{files ? ` (${formatCount(files.length)})` : ""}</h2>
      {files === null ? (
        <Empty>The file list appears once this version has been processed.</Empty>
      ) : (
        <>
          <table class="file-list">
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((f) => (
                <tr>
                  <td>
                    <a href={filesUrl(props.name, props.version, f.path)}>
                      <code>{f.path}</code>
                    </a>
                  </td>
                  <td class="size">{formatBytes(f.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length < files.length ? (
            <p>
              And {formatCount(files.length - shown.length)} more:{" "}
              <a href={filesUrl(props.name, props.version)}>the whole index</a> (JSON, with each file's SHA-256).
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

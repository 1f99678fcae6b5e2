// The package page (`/packages/@scope/name` and `…/1.2.3`): in one screen what the package is,
// whether it is safe, and how to use it — README, install line, versions, dependencies and
// dependents, advisories, license and repository, and the proof in the transparency log.
import type { AdvisoryView } from "../../advisories/summary";
import type { VersionList, VersionMetadata } from "../../api/shapes";
import { compareVersions, isPrerelease } from "../../domain/versions";
import { Empty, ExternalLink, FlagBadges, Time } from "../components/bits";
import { Install } from "../components/install";
import { Readme } from "../components/readme";
import { formatBytes, formatCount, plural } from "../format";
import { advisoryUrl, downloadUrl, filesUrl, packageUrl, proofUrl, scopeUrl } from "../links";
import type { DependentsPage, FileEntry } from "../views";

export interface PackagePageView {
  meta: VersionMetadata;
  list: VersionList;
  owners: string[];
  readmeHtml: string | null;
  files: FileEntry[] | null;
  dependents: DependentsPage | null;
  /** Whether the URL named the version (else it is the latest). */
  pinned: boolean;
}

/** The most versions the page lists; a package with more links to the full list. */
export const VERSIONS_SHOWN = 100;
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
          <section aria-labelledby="readme-heading">
            <h2 id="readme-heading">README</h2>
            <Readme html={props.view.readmeHtml} markdown={meta.readme} />
          </section>
          <Versions list={list} current={meta.version} all={props.allVersions === true} />
          <Dependencies meta={meta} />
          <Dependents page={props.view.dependents} />
          <Files files={props.view.files} name={meta.name} version={meta.version} />
        </div>
        <aside class="sidebar" aria-label="About this version">
          <Install name={meta.name} version={meta.version} />
          <Facts view={props.view} />
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

function Advisories(props: { advisories: AdvisoryView[]; name: string; version: string }) {
  if (props.advisories.length === 0) return null;
  return (
    <section aria-labelledby="advisories-heading">
      <h2 id="advisories-heading">Advisories affecting {props.version}</h2>
      <div class="notice bad">
        <ul class="links">
          {props.advisories.map((a) => (
            <li>
              <a href={advisoryUrl(a.id)}>{a.id}</a>
              {a.summary ? <>: {a.summary}</> : null}
              {a.severity.some((s) => s.baseScore !== null) ? (
                <>
                  {" "}
                  <span class="badge advisory">{severityLabel(a)}</span>
                </>
              ) : null}
              {a.fixedIn ? (
                <>
                  {" "}
                  — fixed in <a href={packageUrl(props.name, a.fixedIn)}>{a.fixedIn}</a>
                </>
              ) : (
                <> — no fixed version yet</>
              )}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

export function severityLabel(a: Pick<AdvisoryView, "severity">): string {
  const top = a.severity.reduce<{ score: number; rating: string | null } | null>(
    (best, s) =>
      s.baseScore !== null && (!best || s.baseScore > best.score)
        ? { score: s.baseScore, rating: s.baseSeverity }
        : best,
    null,
  );
  return top ? `${top.rating ?? "score"} ${top.score.toFixed(1)}` : "unscored";
}

function Versions(props: { list: VersionList; current: string; all: boolean }) {
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

function Dependents(props: { page: DependentsPage | null }) {
  return (
    <section aria-labelledby="dependents-heading">
      <h2 id="dependents-heading">Dependents{props.page ? ` (${formatCount(props.page.total)})` : ""}</h2>
      {props.page === null ? (
        <Empty>The dependents index is not available yet.</Empty>
      ) : props.page.dependents.length === 0 ? (
        <Empty>No published version depends on this package.</Empty>
      ) : (
        <ul class="deps">
          {props.page.dependents.map((d) => (
            <li>
              <a href={packageUrl(d.name, d.version)}>{d.name}</a> <span class="version">{d.version}</span>
            </li>
          ))}
        </ul>
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

function Facts(props: { view: PackagePageView }) {
  const m = props.view.meta;
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">About {m.version}</h2>
      <dl class="facts">
        <dt>License</dt>
        <dd>{m.license ?? "not stated"}</dd>
        {m.repository ? (
          <>
            <dt>Repository</dt>
            <dd>
              <ExternalLink href={m.repository} />
            </dd>
          </>
        ) : null}
        {m.homepage ? (
          <>
            <dt>Homepage</dt>
            <dd>
              <ExternalLink href={m.homepage} />
            </dd>
          </>
        ) : null}
        {m.documentation ? (
          <>
            <dt>Documentation</dt>
            <dd>
              <ExternalLink href={m.documentation} />
            </dd>
          </>
        ) : null}
        {m.funding ? (
          <>
            <dt>Funding</dt>
            <dd>
              <ExternalLink href={m.funding} />
            </dd>
          </>
        ) : null}
        {m.authors.length > 0 ? (
          <>
            <dt>Authors</dt>
            <dd>
              <ul class="links">
                {m.authors.map((a) => (
                  <li>{a}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>Owners</dt>
        <dd>{props.view.owners.length > 0 ? props.view.owners.join(", ") : "none listed"}</dd>
        <dt>Published</dt>
        <dd>
          <Time at={m.publishedAt} /> by {m.publishedBy}
        </dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(m.size)} (<a href={downloadUrl(m.name, m.version)}>download</a>)
        </dd>
        <dt>SHA-256</dt>
        <dd class="digest">{m.sha256}</dd>
        <dt>Transparency log</dt>
        <dd>
          entry {formatCount(m.logIndex)} — <a href={proofUrl(m.name, m.version)}>inclusion proof</a> (
          <a href="/docs#verify">how to verify</a>)
        </dd>
        <dt>Ori</dt>
        <dd>
          {m.ori}
          {m.edition ? `, edition ${m.edition}` : ""}
        </dd>
        {m.keywords.length + m.categories.length > 0 ? (
          <>
            <dt>Keywords and categories</dt>
            <dd>{[...m.keywords, ...m.categories].join(", ")}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

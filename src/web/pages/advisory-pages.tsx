// `/advisories` (newest first, by package, paged) and `/advisories/ORI-2026-0001`: the OSV
// record made readable — summary, details, affected ranges, fixed versions, aliases, severity
// with the computed base score, references and credits.
import type { OsvRecord } from "../../advisories/osv";
import { severityFor } from "../../advisories/summary";
import { fixedVersions } from "../../advisories/match";
import { Empty, ExternalLink, Time } from "../components/bits";
import { Readme } from "../components/readme";
import { advisoryUrl, packageUrl } from "../links";
import { describeEvents } from "../osv-text";
import { ORI_ECOSYSTEM, packagesOf } from "../../advisories/osv";

export interface AdvisoryListView {
  package: string | null;
  advisories: OsvRecord[];
  nextPage: string | null;
  /** Whether this is a later page (the list has a way back to the first). */
  paged: boolean;
}

export function AdvisoryListPage(props: { view: AdvisoryListView }) {
  const v = props.view;
  const base = v.package ? `/advisories?package=${encodeURIComponent(v.package)}` : "/advisories";
  return (
    <>
      <h1>{v.package ? `Advisories for ${v.package}` : "Security advisories"}</h1>
      <p>
        The registry's advisory database, in the OSV format (ecosystem <code>Ori</code>). Query it with{" "}
        <code>ori-registry audit</code>, osv.dev's API (<code>POST /v1/query</code>) or the{" "}
        <a href="/v1/advisories/export/all.zip">export</a>.
      </p>
      {v.package ? (
        <p>
          <a href={packageUrl(v.package)}>Back to {v.package}</a> · <a href="/advisories">all advisories</a>
        </p>
      ) : null}
      {v.advisories.length === 0 ? (
        <Empty>No advisory{v.package ? " names this package" : " yet"}.</Empty>
      ) : (
        <ul class="package-list">
          {v.advisories.map((r) => (
            <li>
              <h2 class="title">
                <a href={advisoryUrl(r.id)}>{r.id}</a>
                <SeverityBadge record={r} />
                {r.withdrawn ? <span class="badge neutral">withdrawn</span> : null}
              </h2>
              {r.summary ? <p>{r.summary}</p> : null}
              <p class="meta-line">
                {packagesOf(r).join(", ")} · published <Time at={r.published ?? r.modified} />
                {r.aliases && r.aliases.length > 0 ? ` · ${r.aliases.join(", ")}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
      <nav class="pager" aria-label="Advisory pages">
        {v.paged ? <a href={base}>← First page</a> : null}
        {v.nextPage ? (
          <a href={`${base}${base.includes("?") ? "&" : "?"}page=${encodeURIComponent(v.nextPage)}`} rel="next">
            Older →
          </a>
        ) : null}
      </nav>
    </>
  );
}

/** The highest computed base score of the record (any package's), as a badge. */
function SeverityBadge(props: { record: OsvRecord }) {
  const scores = packagesOf(props.record).flatMap((p) => severityFor(props.record, p));
  const top = scores.reduce<(typeof scores)[number] | null>(
    (best, s) => (s.baseScore !== null && (!best || s.baseScore > (best.baseScore ?? -1)) ? s : best),
    null,
  );
  if (!top || top.baseScore === null) return null;
  return (
    <span class="badge advisory">
      {top.baseSeverity ?? "score"} {top.baseScore.toFixed(1)}
    </span>
  );
}

/** `detailsHtml`: the details (Markdown) through the sanitizer; null shows them as text. */
export function AdvisoryPage(props: { record: OsvRecord; detailsHtml: string | null }) {
  const r = props.record;
  const affected = (r.affected ?? []).filter((a) => a.package.ecosystem === ORI_ECOSYSTEM);
  return (
    <article>
      <p class="meta-line">
        <a href="/advisories">Advisories</a>
      </p>
      <h1>
        {r.id} <SeverityBadge record={r} />
      </h1>
      {r.summary ? <p class="description">{r.summary}</p> : null}
      {r.withdrawn ? (
        <div class="notice warn" role="note">
          <p>
            <strong>Withdrawn</strong> <Time at={r.withdrawn} />: this advisory no longer applies to any version.
          </p>
        </div>
      ) : null}
      <div class="columns">
        <div>
          <section aria-labelledby="details-heading">
            <h2 id="details-heading">Details</h2>
            <Readme html={props.detailsHtml} markdown={r.details ?? null} none="No details were given." />
          </section>
          <section aria-labelledby="affected-heading">
            <h2 id="affected-heading">Affected packages</h2>
            {affected.length === 0 ? <Empty>None.</Empty> : null}
            {affected.map((a) => (
              <>
                <h3>
                  <a href={packageUrl(a.package.name)}>{a.package.name}</a>
                </h3>
                <table>
                  <tbody>
                    <tr>
                      <th scope="row">Affected versions</th>
                      <td>
                        <ul class="links">
                          {(a.ranges ?? [])
                            .filter((range) => range.type !== "GIT")
                            .flatMap((range) => describeEvents(range.events))
                            .map((text) => (
                              <li>
                                <code>{text}</code>
                              </li>
                            ))}
                          {(a.versions ?? []).map((version) => (
                            <li>
                              <a href={packageUrl(a.package.name, version)}>{version}</a>
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                    <tr>
                      <th scope="row">Fixed in</th>
                      <td>
                        {fixedVersions(r, a.package.name).length === 0
                          ? "no fixed version yet"
                          : fixedVersions(r, a.package.name).map((version, i) => (
                              <>
                                {i > 0 ? ", " : ""}
                                <a href={packageUrl(a.package.name, version)}>{version}</a>
                              </>
                            ))}
                      </td>
                    </tr>
                    <tr>
                      <th scope="row">Severity</th>
                      <td>
                        {severityFor(r, a.package.name).length === 0
                          ? "not scored"
                          : severityFor(r, a.package.name).map((s) => (
                              <p>
                                {s.baseScore !== null ? (
                                  <strong>
                                    {s.baseSeverity} {s.baseScore.toFixed(1)}
                                  </strong>
                                ) : null}{" "}
                                <code>{s.vector}</code>
                              </p>
                            ))}
                      </td>
                    </tr>
                  </tbody>
                </table>
              </>
            ))}
          </section>
        </div>
        <aside class="sidebar" aria-label="About this advisory">
          <section aria-labelledby="record-heading">
            <h2 id="record-heading">Record</h2>
            <dl class="facts">
              <dt>Published</dt>
              <dd>
                <Time at={r.published ?? r.modified} />
              </dd>
              <dt>Modified</dt>
              <dd>
                <Time at={r.modified} />
              </dd>
              <dt>Aliases</dt>
              <dd>{r.aliases && r.aliases.length > 0 ? r.aliases.join(", ") : "none"}</dd>
              {r.related && r.related.length > 0 ? (
                <>
                  <dt>Related</dt>
                  <dd>{r.related.join(", ")}</dd>
                </>
              ) : null}
              <dt>OSV record</dt>
              <dd>
                <a href={`/v1/advisories/${encodeURIComponent(r.id)}`}>JSON</a> ·{" "}
                <a href={`/v1/advisories/${encodeURIComponent(r.id)}/history`}>history</a>
              </dd>
            </dl>
          </section>
          {r.references && r.references.length > 0 ? (
            <section aria-labelledby="references-heading">
              <h2 id="references-heading">References</h2>
              <ul class="links">
                {r.references.map((ref) => (
                  <li>
                    <ExternalLink href={ref.url} /> <span class="meta-line">{ref.type}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {r.credits && r.credits.length > 0 ? (
            <section aria-labelledby="credits-heading">
              <h2 id="credits-heading">Credits</h2>
              <ul class="links">
                {r.credits.map((c) => (
                  <li>
                    {c.name}
                    {c.type ? <span class="meta-line"> ({c.type.toLowerCase()})</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </aside>
      </div>
    </article>
  );
}

// The package page's security sections: the advisories affecting the version (with the fix to
// upgrade to) and what the last scan found in its dependency closure.
import type { AdvisoryView } from "../../advisories/summary";
import type { VersionMetadata } from "../../api/shapes";
import { advisoryUrl, packageUrl } from "../links";

export function Advisories(props: { advisories: AdvisoryView[]; name: string; version: string }) {
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

/** What the last advisory scan found in the dependency closure (transitive and dev ones included). */
export function DependencyAdvisories(props: { findings: VersionMetadata["dependencyAdvisories"] }) {
  if (props.findings.length === 0) return null;
  return (
    <section aria-labelledby="dependency-advisories-heading">
      <h2 id="dependency-advisories-heading">Advisories affecting its dependencies</h2>
      <div class="notice warn">
        <ul class="links">
          {props.findings.map((f) => (
            <li>
              <a href={packageUrl(f.name, f.version)}>
                {f.name} {f.version}
              </a>
              {f.dev ? " (dev)" : ""}
              {f.via.length > 0 ? <span class="meta-line"> via {f.via.join(" → ")}</span> : null}:{" "}
              {f.advisories.map((a, i) => (
                <>
                  {i > 0 ? ", " : ""}
                  <a href={advisoryUrl(a.id)}>{a.id}</a>
                  {a.fixedIn ? ` (fixed in ${a.fixedIn})` : " (no fix yet)"}
                </>
              ))}
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

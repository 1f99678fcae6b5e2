// The package page's sidebar facts about one version: license and links, authors and owners,
// publish time and publisher, size and SHA-256, its transparency-log entry and proof, and where
// the pipeline after the publish is (processing, the advisory scan).
import type { VersionMetadata } from "../../api/shapes";
import { ExternalLink, Time } from "./bits";
import { formatBytes, formatCount } from "../format";
import { downloadUrl, proofUrl } from "../links";

export function Facts(props: { meta: VersionMetadata; owners: string[] }) {
  const m = props.meta;
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
        <dd>{props.owners.length > 0 ? props.owners.join(", ") : "none listed"}</dd>
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
        <dt>Processing (files, README)</dt>
        <dd>
          <StepState step={m.processing} />
        </dd>
        <dt>Advisory scan</dt>
        <dd>
          <StepState step={m.scan} />
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

/** Where a step of the pipeline after the publish is, in words. */
function StepState(props: { step: VersionMetadata["processing"] }) {
  const step = props.step;
  if (step === null) return <>not run (published before the pipeline)</>;
  if (step.status === "done")
    return (
      <>
        done <Time at={step.at} />
      </>
    );
  if (step.status === "pending")
    return (
      <>
        pending since <Time at={step.at} />
      </>
    );
  return <>failed: {step.reason ?? "no reason given"}</>;
}

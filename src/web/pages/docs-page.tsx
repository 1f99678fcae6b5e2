// `/docs`: how to publish, how tokens work, what the transparency log is and how to verify it,
// and where the API is described. The examples name this registry's own origin.

export function DocsPage(props: { origin: string; privateMode: boolean }) {
  const o = props.origin;
  return (
    <article class="docs">
      <h1>Documentation</h1>
      <nav aria-label="On this page">
        <ul>
          <li>
            <a href="#publish">Publish a package</a>
          </li>
          <li>
            <a href="#tokens">Tokens</a>
          </li>
          <li>
            <a href="#verify">The transparency log, and how to verify it</a>
          </li>
          <li>
            <a href="#advisories">Advisories and audits</a>
          </li>
          <li>
            <a href="#api">The API</a>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="publish">
        <h2 id="publish">Publish a package</h2>
        <p>
          A package is named <code>@scope/name</code>; the first account to publish under a scope owns it. Versions are
          SemVer (<code>1.2.3</code>, pre-releases like <code>1.0.0-beta.1</code> are opt-in) and immutable: a version
          never maps to other bytes. The manifest (<code>oripk.toml</code>) needs a <code>description</code> and an{" "}
          <code>ori</code> version; dependencies are exact versions.
        </p>
        <pre tabindex={0}>
          <code>
            {`export ORI_REGISTRY_TOKEN=ori_…        # a token with the publish scope
npx ori-registry pack -C ./my-project    # a reproducible .oripk (same sources, same sha256)
npx ori-registry publish -C ./my-project # uploads, then checks the log's inclusion proof`}
          </code>
        </pre>
        <p>
          Owners can yank a version (hidden from resolution, still downloadable for existing lock files), deprecate it
          with a message, and transfer the package. Only an administrator can remove a version (it then answers 410
          everywhere, with the reason).
        </p>
      </section>

      <section aria-labelledby="tokens">
        <h2 id="tokens">Tokens</h2>
        <p>
          Tokens look like <code>ori_…</code>, are shown once and stored only as a hash. Each has scopes:{" "}
          <strong>read</strong> (downloads and search{props.privateMode ? "; every page of this private registry" : ""}
          ), <strong>publish</strong> (publish, yank, deprecate) and <strong>admin</strong> (owners, members,
          transfers). A token can be limited to packages (<code>@acme/*</code>) and given an expiry. Clients read{" "}
          <code>ORI_REGISTRY_TOKEN</code>.
        </p>
        <pre tabindex={0}>
          <code>
            {`curl -s -X POST -H "Authorization: Bearer $ORI_REGISTRY_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"name": "ci", "scopes": ["read", "publish"], "packages": ["@acme/*"], "expires_in_days": 90}' \\
  ${o}/v1/tokens`}
          </code>
        </pre>
      </section>

      <section aria-labelledby="verify">
        <h2 id="verify">The transparency log, and how to verify it</h2>
        <p>
          Every published <code>@scope/name version sha256</code> is appended to a Merkle-tree log that never forgets,
          even when a version is removed. The log follows the C2SP specifications the Go checksum database uses: signed
          checkpoints (<a href="/v1/log/checkpoint">the latest</a>, signed with <a href="/v1/log/key">this key</a>),
          tiles, and inclusion and consistency proofs. Each package page links to its version's inclusion proof.
        </p>
        <pre tabindex={0}>
          <code>
            {`npx ori-registry download @acme/http 1.0.0   # checks sha256, inclusion and consistency
npx ori-registry verify ./oripk.lock           # every [checksums] line, proven in the log
curl -s ${o}/v1/log/lookup/@acme/http/1.0.0     # the entry, a checkpoint and the proof`}
          </code>
        </pre>
        <p>
          A verifier keeps the last checkpoint it saw and asks for a consistency proof to each newer one, so the log
          cannot show different histories to different people.
        </p>
      </section>

      <section aria-labelledby="advisories">
        <h2 id="advisories">Advisories and audits</h2>
        <p>
          <a href="/advisories">Advisories</a> are OSV records (ecosystem <code>Ori</code>, ids like{" "}
          <code>ORI-2026-0001</code>). <code>npx ori-registry audit ./oripk.lock</code> lists the ones affecting a lock
          file; osv.dev's query API answers at <code>POST /v1/query</code>.
        </p>
      </section>

      <section aria-labelledby="api">
        <h2 id="api">The API</h2>
        <p>
          Everything this site shows comes from the same services as the JSON API under <code>/v1/</code>, described by
          its OpenAPI 3.1 document: <a href="/v1/openapi.json">/v1/openapi.json</a>.
        </p>
      </section>
    </article>
  );
}

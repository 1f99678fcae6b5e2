// The install line: what to add to oripk.toml (`@scope/name = "1.2.3"` under [dependencies],
// Ori's exact-version rule), with a copy button that the script shows (hidden without it).

/** The line a project adds under [dependencies]; the copy button copies exactly this. */
export function installLine(name: string, version: string): string {
  return `${name} = "${version}"`;
}

export function Install(props: { name: string; version: string }) {
  return (
    <section class="install" aria-labelledby="install-heading">
      <h2 id="install-heading">Install</h2>
      <p class="hint">
        Add to <code>oripk.toml</code> under <code>[dependencies]</code>:
      </p>
      <pre tabindex={0}>
        <code>
          {"[dependencies]\n"}
          <span id="install-line">{installLine(props.name, props.version)}</span>
        </code>
      </pre>
      <div class="copy-row">
        <button type="button" class="secondary" data-copy="install-line" hidden>
          Copy the line
        </button>
        <span id="install-line-status" class="copy-status" role="status" aria-live="polite"></span>
      </div>
      <p class="hint">
        Then run <code>ori sync</code>: it downloads the archive and checks it against the log.
      </p>
    </section>
  );
}

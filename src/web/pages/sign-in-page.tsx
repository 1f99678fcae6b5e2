// `/sign-in` (private mode): a registry token with the read scope opens a session. The form
// posts the token with a CSRF token that must match the one in its cookie (docs/web.md).

export function SignInPage(props: { csrf: string; next: string; error: string | null }) {
  return (
    <div class="error-page">
      <h1>Sign in</h1>
      <p>
        This is a private registry: every page needs a token with the <strong>read</strong> scope. The token is not
        kept: the registry remembers only its hash, for this browser's session (at most 7 days, or until the token
        expires or is revoked).
      </p>
      {props.error ? (
        <div class="notice bad" role="alert">
          <p>{props.error}</p>
        </div>
      ) : null}
      <form action="/sign-in" method="post">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <div class="field">
          <label for="token">Registry token</label>
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            aria-describedby="token-hint"
          />
          <span id="token-hint" class="hint">
            Starts with <code>ori_</code>. Create one with <code>POST /v1/tokens</code> and the read scope.
          </span>
        </div>
        <button type="submit">Sign in</button>
      </form>
    </div>
  );
}

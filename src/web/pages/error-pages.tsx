// Pages for what went wrong: a page or package that does not exist (404, with a way on), a
// removed version (410, with the administrator's reason and the package's other versions), and
// every other refusal or fault (its status, the registry's message, the request id).
import { SearchForm } from "../components/layout";
import { packageUrl } from "../links";

export function NotFoundPage(props: { what: string; suggestion?: string | null }) {
  return (
    <div class="error-page">
      <p class="code">404</p>
      <h1>Not found</h1>
      <p>{props.what}</p>
      <p>Search for it, or start from the home page:</p>
      <SearchForm query={props.suggestion ?? ""} large />
      <p>
        <a href="/">Home</a> · <a href="/advisories">Advisories</a> · <a href="/docs">Docs</a>
      </p>
    </div>
  );
}

export function GonePage(props: {
  name: string;
  version: string;
  how: "removed" | "deleted";
  reason: string;
  at: string;
  latest: string | null;
}) {
  return (
    <div class="error-page">
      <p class="code">410</p>
      <h1>
        {props.name} {props.version} is gone
      </h1>
      <div class="notice bad" role="note">
        <p>
          An administrator {props.how} this version on {props.at.slice(0, 10)}. Reason: {props.reason}
        </p>
      </div>
      <p>
        It can no longer be downloaded, and it can never be published again. Its entry stays in the transparency log,
        which never forgets.
      </p>
      <p>
        {props.latest ? (
          <>
            The latest version is <a href={packageUrl(props.name, props.latest)}>{props.latest}</a>.{" "}
          </>
        ) : null}
        <a href={packageUrl(props.name)}>All versions of {props.name}</a>
      </p>
    </div>
  );
}

export function ErrorPage(props: { status: number; code: string; message: string; requestId: string | null }) {
  const title =
    props.status === 400
      ? "That request is not valid"
      : props.status === 401
        ? "You need to sign in"
        : props.status === 403
          ? "Not allowed"
          : props.status === 429
            ? "Too many requests"
            : props.status >= 500
              ? "Something went wrong on our side"
              : "The request was refused";
  return (
    <div class="error-page">
      <p class="code">
        {props.status} · {props.code}
      </p>
      <h1>{title}</h1>
      <p>{props.message}</p>
      {props.requestId ? (
        <p class="hint">
          Request id: <code>{props.requestId}</code>
        </p>
      ) : null}
      <p>
        <a href="/">Home</a> · <a href="/status">Status</a>
      </p>
    </div>
  );
}

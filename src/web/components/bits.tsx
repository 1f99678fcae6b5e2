// Small pieces every page uses: links to what users wrote (only http(s), marked nofollow ugc
// noopener), version flags as badges, times, and the empty-state line.
import type { Child } from "hono/jsx";
import { formatTime } from "../format";
import { safeExternalUrl } from "../links";

/** The rel of every link to a URL a package's author (not the registry) chose. */
export const USER_LINK_REL = "nofollow ugc noopener";

/** A link to a user-given URL when it is http(s); otherwise the text alone, never a link. */
export function ExternalLink(props: { href: string | null | undefined; children?: Child }) {
  const href = safeExternalUrl(props.href);
  const label = props.children ?? props.href ?? "";
  if (!href) return <span>{label}</span>;
  return (
    <a href={href} rel={USER_LINK_REL}>
      {label}
    </a>
  );
}

export function Time(props: { at: string | number }) {
  const iso = new Date(props.at).toISOString();
  return <time datetime={iso}>{formatTime(props.at)}</time>;
}

export interface Flags {
  yanked?: boolean;
  deprecated?: string | null;
  removed?: boolean;
  deleted?: boolean;
  prerelease?: boolean;
  /** How many advisories affect it. */
  advisories?: number;
  latest?: boolean;
}

/** A version's lifecycle flags as badges (nothing for a plain version). */
export function FlagBadges(props: { flags: Flags }) {
  const f = props.flags;
  const badges: { cls: string; label: string; title?: string }[] = [];
  if (f.latest) badges.push({ cls: "latest", label: "latest" });
  if (f.prerelease) badges.push({ cls: "prerelease", label: "pre-release" });
  if (f.deleted) badges.push({ cls: "removed", label: "deleted" });
  else if (f.removed) badges.push({ cls: "removed", label: "removed" });
  if (f.yanked) badges.push({ cls: "yanked", label: "yanked" });
  if (f.deprecated) badges.push({ cls: "deprecated", label: "deprecated", title: f.deprecated });
  if (f.advisories)
    badges.push({ cls: "advisory", label: f.advisories === 1 ? "1 advisory" : `${f.advisories} advisories` });
  if (badges.length === 0) return null;
  return (
    <span class="badges">
      {badges.map((b) => (
        <span class={`badge ${b.cls}`} title={b.title}>
          {b.label}
        </span>
      ))}
    </span>
  );
}

export function Empty(props: { children?: Child }) {
  return <p class="empty">{props.children}</p>;
}

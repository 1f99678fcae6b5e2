// A list of packages (search results, recently published, a scope's packages): name linked to
// its page, latest version, description, keywords (each a search), deprecated and advisory
// badges.
import { FlagBadges, Time } from "./bits";
import { packageUrl, searchUrl } from "../links";

export interface PackageItem {
  name: string;
  version: string;
  description: string;
  keywords: string[];
  deprecated: string | null;
  /** Advisories affecting the listed version. */
  advisories: number;
  publishedAt?: string;
}

export function PackageList(props: { items: PackageItem[]; headingLevel?: 2 | 3 }) {
  const Heading = props.headingLevel === 2 ? "h2" : "h3";
  return (
    <ul class="package-list">
      {props.items.map((p) => (
        <li>
          <Heading class="title">
            <a href={packageUrl(p.name)}>{p.name}</a>
            <span class="version">{p.version}</span>
            <FlagBadges flags={{ deprecated: p.deprecated, advisories: p.advisories }} />
          </Heading>
          <p>{p.description}</p>
          {p.publishedAt ? (
            <p class="meta-line">
              published <Time at={p.publishedAt} />
            </p>
          ) : null}
          {p.keywords.length > 0 ? (
            <ul class="keywords" aria-label="Keywords">
              {p.keywords.map((k) => (
                <li>
                  <a href={searchUrl(k)}>{k}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

// What processing derived from an archive, in R2 beside it, keyed by the archive's sha256: the
// file index (JSON) and the README rendered to sanitized HTML. R2 is strongly consistent and a
// put is durable once it returns. Both are a function of the archive's bytes (and the renderer),
// so writing them again — a redelivered job — stores the same bytes; an admin delete of the
// version removes them with the archive.
import type { ArchiveFile } from "../processing/archive";
import type { ReadmeHtml } from "../processing/readme-html";
import { fileIndexKey, readmeHtmlKey } from "./keys";

export interface FileIndex {
  files: ArchiveFile[];
}

export class ProcessedStore {
  constructor(private readonly bucket: R2Bucket) {}

  static of(env: { BUCKET: R2Bucket }): ProcessedStore {
    return new ProcessedStore(env.BUCKET);
  }

  async save(sha256Hex: string, files: ArchiveFile[], readme: ReadmeHtml | null): Promise<void> {
    const index: FileIndex = { files };
    await Promise.all([
      this.bucket.put(fileIndexKey(sha256Hex), JSON.stringify(index), {
        httpMetadata: { contentType: "application/json" },
      }),
      readme
        ? this.bucket.put(readmeHtmlKey(sha256Hex), readme.html, {
            httpMetadata: { contentType: "text/html; charset=utf-8" },
            customMetadata: { plainText: String(readme.plainText) },
          })
        : this.bucket.delete(readmeHtmlKey(sha256Hex)),
    ]);
  }

  async findFiles(sha256Hex: string): Promise<FileIndex | null> {
    const object = await this.bucket.get(fileIndexKey(sha256Hex));
    return object ? ((await object.json()) as FileIndex) : null;
  }

  async findReadme(sha256Hex: string): Promise<ReadmeHtml | null> {
    const object = await this.bucket.get(readmeHtmlKey(sha256Hex));
    if (!object) return null;
    return { html: await object.text(), plainText: object.customMetadata?.plainText === "true" };
  }

  async remove(sha256Hex: string): Promise<void> {
    await this.bucket.delete([fileIndexKey(sha256Hex), readmeHtmlKey(sha256Hex)]);
  }
}

// An upload body that reports progress as the HTTP stack pulls it. fetch has no upload-progress
// event, so the archive is offered in chunks and each chunk handed over counts as sent.

export type ProgressListener = (sent: number, total: number) => void;

const CHUNK = 64 * 1024;

export function uploadBody(bytes: Uint8Array, onProgress?: ProgressListener): BodyInit {
  // The cast: fetch wants an ArrayBuffer-backed view; archives never live in shared memory.
  if (!onProgress) return bytes as Uint8Array<ArrayBuffer>;
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const end = Math.min(offset + CHUNK, bytes.length);
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
      onProgress(offset, bytes.length);
    },
  });
}

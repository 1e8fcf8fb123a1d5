// Gathering bytes made a piece at a time into parts of one fixed size, each handed on as soon
// as it is full (R2's multipart upload wants every part but the last the same size, at least
// 5 MiB). Pure: the bench uses it to measure an upscale as the job stores it.

/** 8 MiB: at most this much (and the part being sent) is held at once. */
export const PART_BYTES = 8 * 1024 * 1024;

export type WriteBytes = (bytes: Uint8Array) => Promise<void>;

/**
 * Gathers bytes into parts of `partBytes`; `send` gets each full part in order (it may keep the
 * array: each part is a new one). `end()` answers the last, partial part.
 */
export function partsOf(send: (part: Uint8Array) => Promise<void>, partBytes = PART_BYTES) {
  let part = new Uint8Array(partBytes);
  let used = 0;
  const write: WriteBytes = async (bytes) => {
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(partBytes - used, bytes.length - at);
      part.set(bytes.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === partBytes) {
        const full = part;
        part = new Uint8Array(partBytes);
        used = 0;
        await send(full);
      }
    }
  };
  return { write, end: () => part.subarray(0, used) };
}

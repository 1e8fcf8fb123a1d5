// Storing a file that is made a piece at a time and too large to hold whole (an 8K upscale):
// the bytes are gathered into parts of one fixed size and each part goes to R2 as soon as it is
// full (a multipart upload: R2 wants every part but the last the same size, at least 5 MiB).
// A file that fits in one part is stored with one put. A failure aborts the upload, so no
// half-written object is left behind.

import { PART_BYTES, partsOf, type WriteBytes } from './parts';

/** Stores what `make` writes under `key`; answers what `make` answers. */
export async function putInParts<T>(bucket: R2Bucket, key: string, options: R2MultipartOptions, make: (write: WriteBytes) => Promise<T>, partBytes = PART_BYTES): Promise<T> {
  let upload: R2MultipartUpload | null = null;
  const uploaded: R2UploadedPart[] = [];
  const parts = partsOf(async (part) => {
    upload ??= await bucket.createMultipartUpload(key, options);
    uploaded.push(await upload.uploadPart(uploaded.length + 1, part));
  }, partBytes);
  try {
    const made = await make(parts.write);
    const last = parts.end();
    if (!upload) {
      await bucket.put(key, last, options);
    } else {
      const started: R2MultipartUpload = upload;
      if (last.length) uploaded.push(await started.uploadPart(uploaded.length + 1, last));
      await started.complete(uploaded);
    }
    return made;
  } catch (error) {
    await (upload as R2MultipartUpload | null)?.abort().catch(() => {});
    throw error;
  }
}

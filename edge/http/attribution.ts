// Attribution headers (X-Source-Url, X-Page-Url, X-Page-Title) arrive UTF-8 percent-encoded,
// since a header carries only Latin-1. Decoded here, bounded and single-line; a malformed
// escape keeps the text as sent rather than refusing the upload it rides on.
export function attribution(value: string | undefined, max = 2048): string | null {
  if (!value) return null;
  let text = value;
  try {
    text = decodeURIComponent(value);
  } catch {
    // not percent-encoded as a whole (an old client, or a bare "%"): keep it as it came
  }
  const clean = text.replace(/[\r\n]+/g, ' ').trim();
  return clean ? clean.slice(0, max) : null;
}

// Larger renditions of an image URL on the image CDNs designers meet most: each rule reads a
// URL that names a smaller rendition (a size parameter, a thumbnail path segment, a
// transformation) and proposes the larger ones, best first. Pure: the capture flow tries them
// in order and keeps one only when its bytes really load and match (extension/capture/flow.ts).
// (Issue 14: the rules and their corpus are being written; until then no URL is upgraded.)

/** Larger renditions of `url`, best first; empty when no rule knows the URL. Never includes `url` itself. */
export function upgradeCandidates(_url: string): string[] {
  return [];
}

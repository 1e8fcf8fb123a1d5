// Larger renditions of an image URL on the image CDNs designers meet most: each rule reads a
// URL that names a smaller rendition (a size parameter, a thumbnail path segment, a
// transformation) and proposes the larger ones, best first. Pure: the capture flow tries them
// in order and keeps one only when its bytes really load and match (extension/capture/flow.ts).
// Shaped like Image Max URL's rules: test the host (or a path only that software makes) first,
// then rewrite; a rule that does not know the URL proposes nothing.

interface UpgradeRule {
  /** The CDN or software, for readers and test names. */
  name: string;
  matches(url: URL): boolean;
  /** Larger renditions, best first (may include the input or duplicates: they are filtered out). */
  rewrite(url: URL): string[];
}

/** The URL without the named query parameters (null when none was there). */
function withoutParams(url: URL, names: readonly string[]): string | null {
  const copy = new URL(url.href);
  const present = names.filter((name) => copy.searchParams.has(name));
  if (!present.length) return null;
  for (const name of present) copy.searchParams.delete(name);
  return copy.href;
}

function withPath(url: URL, pathname: string): string {
  const copy = new URL(url.href);
  copy.pathname = pathname;
  return copy.href;
}

/** Renditions in the order a CDN ranks them, keeping only those better than the one shown. */
function betterThan(current: string, ranked: readonly string[]): string[] {
  const at = ranked.indexOf(current);
  return at === -1 ? [...ranked] : ranked.slice(0, at);
}

const host = (pattern: RegExp) => (url: URL) => pattern.test(url.hostname);

/** Next.js's largest default device size: asking for more is refused by its image optimizer. */
const NEXT_LARGEST_WIDTH = 3840;

const shopifySize = /_(?:\d+x\d*|x\d+|pico|icon|thumb|small|compact|medium|large|grande|original|master)(?:_crop_(?:center|top|bottom|left|right))?(?:@\dx)?(?=\.[a-z0-9]+$)/i;
const wordpressSize = /-\d+x\d+(?=\.[a-z0-9]+$)/i;
const cloudinarySizeKey = /^(?:w|h|c|q|g|x|y|z|dpr|ar)_/;
const behanceSizes = ['max_3840', '1400', 'fs'] as const;
const artstationSizes = ['4k', 'large'] as const;

export const upgradeRules: readonly UpgradeRule[] = [
  {
    name: 'Next.js image optimizer',
    matches: (url) => url.pathname.endsWith('/_next/image') && url.searchParams.has('url'),
    rewrite: (url) => {
      const original = new URL(url.searchParams.get('url')!, url.origin).href;
      const width = Number(url.searchParams.get('w') ?? 0);
      const wider = new URL(url.href);
      wider.searchParams.set('w', String(NEXT_LARGEST_WIDTH));
      return [original, ...(width < NEXT_LARGEST_WIDTH ? [wider.href] : [])];
    },
  },
  {
    name: 'Shopify',
    matches: (url) => url.hostname === 'cdn.shopify.com' || url.pathname.startsWith('/cdn/shop/'),
    rewrite: (url) => {
      const copy = new URL(url.href);
      copy.pathname = copy.pathname.replace(shopifySize, '');
      for (const name of ['width', 'height', 'crop']) copy.searchParams.delete(name);
      return [copy.href];
    },
  },
  {
    name: 'WordPress (Jetpack Photon)',
    matches: host(/^i\d\.wp\.com$/),
    rewrite: (url) => {
      const copy = new URL(url.href);
      copy.pathname = copy.pathname.replace(wordpressSize, '');
      for (const name of ['resize', 'fit', 'w', 'h', 'crop', 'zoom']) copy.searchParams.delete(name);
      return [copy.href];
    },
  },
  {
    name: 'WordPress',
    matches: (url) => url.hostname.endsWith('.files.wordpress.com') || url.pathname.includes('/wp-content/uploads/'),
    rewrite: (url) => {
      const copy = new URL(url.href);
      copy.pathname = copy.pathname.replace(wordpressSize, '');
      for (const name of ['w', 'h', 'resize', 'fit', 'crop']) copy.searchParams.delete(name);
      return [copy.href];
    },
  },
  {
    name: 'Cloudinary',
    matches: (url) => url.hostname === 'res.cloudinary.com' || url.hostname.endsWith('.cloudinary.com'),
    rewrite: (url) => {
      const segments = url.pathname.split('/');
      const upload = segments.findIndex((s, i) => s === 'upload' && segments[i - 1] === 'image');
      if (upload === -1) return [];
      const kept: string[] = [];
      let i = upload + 1;
      // Transformations come between upload/ and the version (v123) or the public id.
      for (; i < segments.length - 1 && !/^v\d+$/.test(segments[i]!); i++) {
        const parts = segments[i]!.split(',');
        if (!parts.every((p) => /^[a-z]{1,3}_[^/]*$/.test(p))) break;
        const rest = parts.filter((p) => !cloudinarySizeKey.test(p));
        if (rest.length) kept.push(rest.join(','));
      }
      return [withPath(url, [...segments.slice(0, upload + 1), ...kept, ...segments.slice(i)].join('/'))];
    },
  },
  {
    name: 'imgix',
    matches: host(/\.imgix\.net$/),
    rewrite: (url) => [withoutParams(url, ['w', 'h', 'fit', 'crop', 'dpr', 'q', 'max-w', 'max-h', 'rect', 'ar']) ?? url.href],
  },
  {
    name: 'Pinterest',
    matches: host(/^i\.pinimg\.com$/),
    rewrite: (url) => {
      const [, size, ...rest] = url.pathname.split('/');
      if (!size || size === 'originals' || !/^\d+x\d*(_RS)?$/.test(size)) return [];
      return [withPath(url, ['', 'originals', ...rest].join('/')), ...(size === '736x' ? [] : [withPath(url, ['', '736x', ...rest].join('/'))])];
    },
  },
  {
    name: 'Wikimedia thumbnails',
    matches: host(/^upload\.wikimedia\.org$/),
    rewrite: (url) => {
      const thumb = /^(.*)\/thumb\/(.+\/([^/]+))\/[^/]+$/.exec(url.pathname);
      if (!thumb) return [];
      const [, root, originalPath, file] = thumb;
      // An SVG original cannot be uploaded as it is: its largest raster rendition first.
      if (/\.svg$/i.test(file!)) return [withPath(url, `${root}/thumb/${originalPath}/2048px-${file}.png`)];
      return [withPath(url, `${root}/${originalPath}`)];
    },
  },
  {
    name: 'Unsplash',
    matches: host(/^(images|plus)\.unsplash\.com$/),
    rewrite: (url) => [withoutParams(url, ['w', 'h', 'fit', 'crop', 'dpr', 'q']) ?? url.href],
  },
  {
    name: 'Behance',
    matches: host(/(^|\.)behance\.net$/),
    rewrite: (url) => {
      const found = /^(.*\/project_modules\/)([^/]+)(\/.+)$/.exec(url.pathname);
      if (!found) return [];
      const [, head, size, tail] = found;
      return betterThan(size!, behanceSizes).map((better) => withPath(url, `${head}${better}${tail}`));
    },
  },
  {
    name: 'Dribbble',
    matches: host(/^cdn\.dribbble\.com$/),
    rewrite: (url) => {
      const copy = new URL(url.href);
      copy.pathname = copy.pathname.replace(/_(?:teaser|1x|still_2x|still)(?=\.[a-z0-9]+$)/i, '');
      for (const name of ['resize', 'vertical', 'compress']) copy.searchParams.delete(name);
      return [copy.href];
    },
  },
  {
    name: 'ArtStation',
    matches: host(/^cdn[a-z]?\.artstation\.com$/),
    rewrite: (url) => {
      const found = /^(.*\/images\/\d{3}\/\d{3}\/\d{3}\/)([a-z0-9_]+)(\/[^/]+)$/.exec(url.pathname);
      if (!found) return [];
      const [, head, size, tail] = found;
      return betterThan(size!, artstationSizes).map((better) => withPath(url, `${head}${better}${tail}`));
    },
  },
];

/** Larger renditions of `url`, best first; empty when no rule knows the URL. Never includes `url` itself. */
export function upgradeCandidates(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return [];
  const rule = upgradeRules.find((r) => r.matches(parsed));
  if (!rule) return [];
  const out: string[] = [];
  for (const candidate of rule.rewrite(parsed)) {
    const web = /^https?:\/\//i.test(candidate);
    if (web && candidate !== parsed.href && candidate !== url && !out.includes(candidate)) out.push(candidate);
  }
  return out;
}

/** One key for every rendition of the same image: its best-known rendition, else itself. */
export function renditionKey(url: string): string {
  return upgradeCandidates(url)[0] ?? url;
}

// Downloads through short-lived signed tokens: an HMAC over who, which image, which variant
// and until when, checked by our own route. Nothing is handed out that the image's policy
// does not allow.
import { downloadFormats } from '../../shared/api/licenses';
import { fromBase64Url } from '../../shared/encoding';
import { base64url, equalInConstantTime, hmacHex } from './auth/secrets';
import { DomainError } from './errors';
import { getOwnImage, type ImageRow } from './images';
import { imagePolicyOf } from './licenses';
import type { VariantKind } from './variants';

export const DOWNLOAD_TTL_SECONDS = 300;
/** What a link serves: the original, a conversion of it, or a licensed extra. */
export type DownloadFormat = (typeof downloadFormats)[number] | VariantKind;

interface Grant {
  userId: string;
  imageId: string;
  format: DownloadFormat;
  expires: number;
}

const encode = (g: Grant) => base64url(new TextEncoder().encode(JSON.stringify([g.userId, g.imageId, g.format, g.expires])));
const mac = (secret: string, payload: string) => hmacHex(`download:${secret}`, payload);

/** A token for one download, or not_licensed where the policy keeps the original locked. */
export async function grantDownload(db: D1Database, secret: string, input: { userId: string; imageId: string; format: DownloadFormat; now: Date }): Promise<string> {
  const image = await getOwnImage(db, input.userId, input.imageId);
  const policy = await imagePolicyOf(db, image);
  if (!policy.downloadable) {
    throw new DomainError(
      'not_licensed',
      policy.license === 'per_image' ? 'License this image to download it without the watermark.' : 'This Style is not verified: its images are for personal use in Exactly and cannot be downloaded.',
    );
  }
  const payload = encode({ userId: input.userId, imageId: image.id, format: input.format, expires: Math.floor(input.now.getTime() / 1000) + DOWNLOAD_TTL_SECONDS });
  return `${payload}.${await mac(secret, payload)}`;
}

/** Checks a token (signature, expiry) and its image (still the holder's, still allowed). */
export async function redeemDownload(db: D1Database, secret: string, token: string, callerId: string, now: Date): Promise<{ image: ImageRow; format: DownloadFormat }> {
  const refused = (why: string) => new DomainError('forbidden', `This download link ${why}. Ask for a new one from the image.`);
  const [payload, signature] = token.split('.');
  if (!payload || !signature || !equalInConstantTime(signature, await mac(secret, payload))) throw refused('is not valid');
  let grant: [string, string, DownloadFormat, number];
  try {
    grant = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
  } catch {
    throw refused('is not valid');
  }
  const [userId, imageId, format, expires] = grant;
  if (expires < Math.floor(now.getTime() / 1000)) throw refused('has expired');
  if (userId !== callerId) throw refused('was made for someone else');
  const image = await getOwnImage(db, userId, imageId).catch(() => {
    throw refused('is no longer valid');
  });
  if (!(await imagePolicyOf(db, image)).downloadable) throw refused('is no longer valid');
  return { image, format };
}

// Downloads as files: what a download asks for (the original, a conversion, or a licensed
// extra, started when not made yet), and the bytes a signed link names, with its headers.
import type { DownloadQuery } from '../../shared/api/licenses';
import { readConfig } from '../config';
import type { Bindings } from '../env';
import { rendererFor } from '../services';
import { type DownloadFormat, grantDownload, redeemDownload } from './downloads';
import { DomainError } from './errors';
import { readyVariant, requestVariant, toVariantDto, type VariantKind, variantKinds } from './variants';

/** Which licensed extra a download asks for, if any. */
function extraOf(q: DownloadQuery): VariantKind | null {
  if (q.format === 'svg') return 'svg';
  if (q.variant === 'no_background') return 'no_background';
  if (q.size === '4k') return 'upscale_4k';
  if (q.size === '8k') return 'upscale_8k';
  return null;
}

export type DownloadAnswer =
  | { link: string }
  | { job: ReturnType<typeof toVariantDto>; poll_url: string; failed: boolean };

/** A signed link to the file, or the job making the extra it asks for. */
export async function startDownload(env: Bindings, userId: string, imageId: string, query: DownloadQuery, now: Date, origin?: string): Promise<DownloadAnswer> {
  const extra = extraOf(query);
  let format: DownloadFormat = query.format === 'svg' ? 'original' : query.format;
  if (extra) {
    const variant = await requestVariant(env.DB, env.JOBS, userId, imageId, extra, now, origin);
    // Not made yet: the job runs; poll the image's variants, then download again.
    if (variant.status !== 'ready') return { job: toVariantDto(variant), poll_url: `/v1/images/${variant.image_id}/variants`, failed: variant.status === 'failed' };
    format = extra;
  }
  const token = await grantDownload(env.DB, readConfig(env).authSecret, { userId, imageId, format, now });
  return { link: `/v1/files/${token}` };
}

const extensions: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif', 'image/avif': 'avif', 'image/svg+xml': 'svg' };

export interface FileAnswer {
  body: ReadableStream | Uint8Array;
  headers: Record<string, string>;
}

/** The bytes a download link names, for the user it was made for, as an attachment. */
export async function openFile(env: Bindings, token: string, callerId: string, now: Date): Promise<FileAnswer> {
  const { image, format } = await redeemDownload(env.DB, readConfig(env).authSecret, token, callerId, now);
  const attachment = { 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' };
  if ((variantKinds as readonly string[]).includes(format)) {
    const variant = await readyVariant(env.DB, image.id, format as VariantKind);
    const file = variant.r2_key ? await env.IMAGES.get(variant.r2_key) : null;
    if (!file) throw new DomainError('not_found', 'That version of the image was not found.');
    return {
      body: file.body,
      headers: {
        'content-type': variant.content_type!,
        'content-disposition': `attachment; filename="exactly-${image.id}-${format}.${extensions[variant.content_type!] ?? 'bin'}"`,
        ...attachment,
        // An SVG opened directly runs nothing: no scripts, no external loads.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      },
    };
  }
  const object = await env.IMAGES.get(image.r2_key);
  if (!object) throw new DomainError('not_found', 'The image file was not found.');
  let body: FileAnswer['body'] = object.body;
  let contentType: string = image.content_type;
  if (format !== 'original') {
    const converted = await rendererFor(env).convert(new Uint8Array(await object.arrayBuffer()), format as 'png' | 'jpg' | 'webp');
    body = converted.bytes;
    contentType = converted.contentType;
  }
  return { body, headers: { 'content-type': contentType, 'content-disposition': `attachment; filename="exactly-${image.id}.${extensions[contentType] ?? 'bin'}"`, ...attachment } };
}

// Licenses: buy one for an image (Idempotency-Key), list and read your own, and the public,
// verifiable certificate (HTML for people, JSON for machines).
import { buyLicense, certificate as certificateRoute, license, licenses } from '../../../shared/api/routes/licenses';
import { readConfig } from '../../config';
import { publishCredits } from '../../domain/events';
import { certificate, listLicenses, ownLicense, purchaseLicense, toLicenseDto } from '../../domain/licenses';
import { idempotencyKey } from '../../http/idempotency';
import { router, serve } from '../../http/openapi';
import { eventsFor } from '../../services';

export const licenseRoutes = router();

serve(licenseRoutes, buyLicense, async (c) => {
  const config = readConfig(c.env);
  const { license: bought, replayed } = await purchaseLicense(c.env.DB, {
    userId: c.get('user').id,
    imageId: c.req.valid('param').id,
    idempotencyKey: idempotencyKey(c),
    secret: config.authSecret,
    creatorShare: config.creatorShare,
    now: new Date(),
  });
  if (replayed) return c.json(toLicenseDto(bought), 200);
  // After the batch committed, off the answer's path: the buyer's license and balance, and the
  // creator's balance when they earned a share.
  const events = eventsFor(c.env);
  c.executionCtx.waitUntil(
    (async () => {
      await events.publish(bought.holder_id, { type: 'license.created', data: toLicenseDto(bought) });
      await publishCredits(c.env.DB, events, bought.holder_id);
      if (bought.creator_earning > 0 && bought.creator_id) await publishCredits(c.env.DB, events, bought.creator_id);
    })(),
  );
  return c.json(toLicenseDto(bought), 201);
});

serve(licenseRoutes, licenses, async (c) => c.json({ items: await listLicenses(c.env.DB, c.get('user').id), next_cursor: null }, 200));
serve(licenseRoutes, license, async (c) => c.json(await ownLicense(c.env.DB, c.get('user').id, c.req.valid('param').id), 200));

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

serve(licenseRoutes, certificateRoute, async (c) => {
  const cert = await certificate(c.env.DB, readConfig(c.env).authSecret, c.req.valid('param').id);
  if (!(c.req.header('accept') ?? '').includes('text/html')) return c.json(cert, 200);
  const row = (label: string, value: string) => `<tr><th>${escape(label)}</th><td>${escape(value)}</td></tr>`;
  return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>License certificate ${escape(cert.license_id)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px;color:#1d1b19}th{text-align:left;padding-right:16px;vertical-align:top;color:#6e6a64;font-weight:500}td{word-break:break-all}.ok{color:#2f8f4e}.bad{color:#c0352b}</style></head>
<body><h1>Exactly license certificate</h1>
<p class="${cert.valid ? 'ok' : 'bad'}">${cert.valid ? 'This certificate is genuine: its signature matches what Exactly issued.' : 'This certificate does not match what Exactly issued.'}</p>
<table>${row('License', cert.license_id)}${row('Held by', cert.holder)}${row('Image', cert.image.id)}${row('Image SHA-256', cert.image.sha256)}${cert.style ? row('Style', `${cert.style.name}${cert.style.creator ? ` by ${cert.style.creator}` : ''}`) : ''}${row('Issued', cert.issued_at)}${row('Terms', cert.terms)}${row('Signature', cert.signature)}</table>
<p>To check a file: its SHA-256 must equal the image's above.</p></body></html>`);
});

// The image-CDN upgrade rules on a corpus of real-shaped URLs: each names a smaller rendition,
// and the rules must propose the larger ones, best first.
import { describe, expect, it } from 'vitest';
import { renditionKey, upgradeCandidates } from '../../../extension/capture/upgrade';

/** [what it is, the URL a page shows, the renditions expected, best first]. */
const corpus: [string, string, string[]][] = [
  ['Next.js: the original behind the optimizer, then its widest rendition', 'https://shop.example/_next/image?url=%2Fimages%2Fchair.jpg&w=640&q=75', ['https://shop.example/images/chair.jpg', 'https://shop.example/_next/image?url=%2Fimages%2Fchair.jpg&w=3840&q=75']],
  ['Next.js: an absolute original on another host', 'https://studio.example/_next/image?url=https%3A%2F%2Fcdn.example%2Fa.png&w=1080&q=75', ['https://cdn.example/a.png', 'https://studio.example/_next/image?url=https%3A%2F%2Fcdn.example%2Fa.png&w=3840&q=75']],
  ['Next.js: under a base path, already widest', 'https://example.com/app/_next/image?url=%2Fhero.webp&w=3840&q=90', ['https://example.com/hero.webp']],
  ['Shopify: a pixel size suffix', 'https://cdn.shopify.com/s/files/1/0123/4567/products/mug_100x100.jpg?v=1612345678', ['https://cdn.shopify.com/s/files/1/0123/4567/products/mug.jpg?v=1612345678']],
  ['Shopify: a named size', 'https://cdn.shopify.com/s/files/1/0123/4567/products/mug_small.png?v=1', ['https://cdn.shopify.com/s/files/1/0123/4567/products/mug.png?v=1']],
  ['Shopify: a cropped retina rendition', 'https://cdn.shopify.com/s/files/1/0123/products/vase_300x300_crop_center@2x.jpg?v=9', ['https://cdn.shopify.com/s/files/1/0123/products/vase.jpg?v=9']],
  ['Shopify: width-only suffix', 'https://cdn.shopify.com/s/files/1/0123/files/banner_1200x.jpg', ['https://cdn.shopify.com/s/files/1/0123/files/banner.jpg']],
  ['Shopify: width parameter on a store’s own domain', 'https://store.example/cdn/shop/files/lamp.jpg?v=1700000000&width=360', ['https://store.example/cdn/shop/files/lamp.jpg?v=1700000000']],
  ['Shopify: width, height and crop parameters', 'https://cdn.shopify.com/s/files/1/2/files/rug.webp?v=3&width=500&height=500&crop=center', ['https://cdn.shopify.com/s/files/1/2/files/rug.webp?v=3']],
  ['WordPress: a -300x200 suffix', 'https://blog.example/wp-content/uploads/2024/05/kitchen-300x200.jpg', ['https://blog.example/wp-content/uploads/2024/05/kitchen.jpg']],
  ['WordPress: a suffix on a hyphenated name', 'https://blog.example/wp-content/uploads/2023/01/my-new-logo-1024x768.png', ['https://blog.example/wp-content/uploads/2023/01/my-new-logo.png']],
  ['WordPress.com: a w parameter', 'https://artist.files.wordpress.com/2022/03/painting.jpg?w=640', ['https://artist.files.wordpress.com/2022/03/painting.jpg']],
  ['WordPress.com: w and h parameters', 'https://artist.files.wordpress.com/2022/03/painting.jpg?w=640&h=480', ['https://artist.files.wordpress.com/2022/03/painting.jpg']],
  ['Jetpack Photon: resize', 'https://i0.wp.com/blog.example/wp-content/uploads/2024/02/desk.jpg?resize=768%2C512&ssl=1', ['https://i0.wp.com/blog.example/wp-content/uploads/2024/02/desk.jpg?ssl=1']],
  ['Jetpack Photon: fit and a size suffix', 'https://i2.wp.com/blog.example/wp-content/uploads/2024/02/desk-150x150.jpg?fit=150%2C150', ['https://i2.wp.com/blog.example/wp-content/uploads/2024/02/desk.jpg']],
  ['Cloudinary: width, crop and quality', 'https://res.cloudinary.com/demo/image/upload/w_400,h_300,c_fill,q_auto,f_auto/v1571218039/sample.jpg', ['https://res.cloudinary.com/demo/image/upload/f_auto/v1571218039/sample.jpg']],
  ['Cloudinary: chained size transformations, no version', 'https://res.cloudinary.com/demo/image/upload/c_scale,w_200/e_sepia/dpr_2.0/folder/sample.png', ['https://res.cloudinary.com/demo/image/upload/e_sepia/folder/sample.png']],
  ['Cloudinary: only size transformations', 'https://res.cloudinary.com/acme/image/upload/c_thumb,g_face,h_150,w_150/v1/people/ana.jpg', ['https://res.cloudinary.com/acme/image/upload/v1/people/ana.jpg']],
  ['imgix: size and fit parameters', 'https://assets.imgix.net/photos/coast.jpg?w=400&h=300&fit=crop&auto=format', ['https://assets.imgix.net/photos/coast.jpg?auto=format']],
  ['imgix: dpr and quality', 'https://studio.imgix.net/a/b.png?dpr=2&q=40', ['https://studio.imgix.net/a/b.png']],
  ['Pinterest: a 236x thumbnail', 'https://i.pinimg.com/236x/8a/1b/2c/8a1b2c3d4e5f.jpg', ['https://i.pinimg.com/originals/8a/1b/2c/8a1b2c3d4e5f.jpg', 'https://i.pinimg.com/736x/8a/1b/2c/8a1b2c3d4e5f.jpg']],
  ['Pinterest: a square thumbnail', 'https://i.pinimg.com/75x75_RS/8a/1b/2c/8a1b2c3d4e5f.jpg', ['https://i.pinimg.com/originals/8a/1b/2c/8a1b2c3d4e5f.jpg', 'https://i.pinimg.com/736x/8a/1b/2c/8a1b2c3d4e5f.jpg']],
  ['Pinterest: 736x, only the original is larger', 'https://i.pinimg.com/736x/8a/1b/2c/8a1b2c3d4e5f.jpg', ['https://i.pinimg.com/originals/8a/1b/2c/8a1b2c3d4e5f.jpg']],
  ['Wikimedia: a thumbnail', 'https://upload.wikimedia.org/wikipedia/commons/thumb/a/ab/Tour_Eiffel.jpg/220px-Tour_Eiffel.jpg', ['https://upload.wikimedia.org/wikipedia/commons/a/ab/Tour_Eiffel.jpg']],
  ['Wikimedia: a thumbnail with a page prefix', 'https://upload.wikimedia.org/wikipedia/en/thumb/1/12/Poster.png/lossy-page1-300px-Poster.png', ['https://upload.wikimedia.org/wikipedia/en/1/12/Poster.png']],
  ['Wikimedia: an SVG’s raster thumbnail → its largest raster', 'https://upload.wikimedia.org/wikipedia/commons/thumb/4/4a/Logo.svg/120px-Logo.svg.png', ['https://upload.wikimedia.org/wikipedia/commons/thumb/4/4a/Logo.svg/2048px-Logo.svg.png']],
  ['Unsplash: drops sizes, keeps ixid', 'https://images.unsplash.com/photo-1501785888041-af3ef285b470?ixlib=rb-4.0.3&ixid=M3wxMjA3fDB8MHxwaG90by1wYWdlfHx8fGVufDB8fHx8fA%3D%3D&auto=format&fit=crop&w=400&q=60', ['https://images.unsplash.com/photo-1501785888041-af3ef285b470?ixlib=rb-4.0.3&ixid=M3wxMjA3fDB8MHxwaG90by1wYWdlfHx8fGVufDB8fHx8fA%3D%3D&auto=format']],
  ['Unsplash+: width and crop', 'https://plus.unsplash.com/premium_photo-1670000000000-abc?w=600&crop=entropy', ['https://plus.unsplash.com/premium_photo-1670000000000-abc']],
  ['Behance: a 404 module', 'https://mir-s3-cdn-cf.behance.net/project_modules/404/5d3b2a123456.jpg', ['https://mir-s3-cdn-cf.behance.net/project_modules/max_3840/5d3b2a123456.jpg', 'https://mir-s3-cdn-cf.behance.net/project_modules/1400/5d3b2a123456.jpg', 'https://mir-s3-cdn-cf.behance.net/project_modules/fs/5d3b2a123456.jpg']],
  ['Behance: a disp module', 'https://mir-s3-cdn-cf.behance.net/project_modules/disp/abc.png', ['https://mir-s3-cdn-cf.behance.net/project_modules/max_3840/abc.png', 'https://mir-s3-cdn-cf.behance.net/project_modules/1400/abc.png', 'https://mir-s3-cdn-cf.behance.net/project_modules/fs/abc.png']],
  ['Behance: 1400, only max_3840 is larger', 'https://mir-s3-cdn-cf.behance.net/project_modules/1400/abc.jpg', ['https://mir-s3-cdn-cf.behance.net/project_modules/max_3840/abc.jpg']],
  ['Dribbble: a resize parameter', 'https://cdn.dribbble.com/userupload/12345678/file/original-abc.png?resize=400x300&vertical=center', ['https://cdn.dribbble.com/userupload/12345678/file/original-abc.png']],
  ['Dribbble: a teaser', 'https://cdn.dribbble.com/users/12/screenshots/345/shot_teaser.png', ['https://cdn.dribbble.com/users/12/screenshots/345/shot.png']],
  ['Dribbble: a 1x rendition', 'https://cdn.dribbble.com/users/12/screenshots/345/media/abc_1x.jpg', ['https://cdn.dribbble.com/users/12/screenshots/345/media/abc.jpg']],
  ['ArtStation: a smaller square', 'https://cdnb.artstation.com/p/assets/images/images/012/345/678/smaller_square/jane-doe-castle.jpg?1534567890', ['https://cdnb.artstation.com/p/assets/images/images/012/345/678/4k/jane-doe-castle.jpg?1534567890', 'https://cdnb.artstation.com/p/assets/images/images/012/345/678/large/jane-doe-castle.jpg?1534567890']],
  ['ArtStation: a medium', 'https://cdna.artstation.com/p/assets/images/images/001/002/003/medium/a.jpg?1', ['https://cdna.artstation.com/p/assets/images/images/001/002/003/4k/a.jpg?1', 'https://cdna.artstation.com/p/assets/images/images/001/002/003/large/a.jpg?1']],
  ['ArtStation: large, only 4k is larger', 'https://cdnb.artstation.com/p/assets/images/images/001/002/003/large/a.jpg?1', ['https://cdnb.artstation.com/p/assets/images/images/001/002/003/4k/a.jpg?1']],
];

/** URLs that already are the best rendition, or that no rule knows: nothing to propose. */
const alreadyBest: [string, string][] = [
  ['an ordinary image', 'https://example.com/images/photo.jpg'],
  ['a Pinterest original', 'https://i.pinimg.com/originals/8a/1b/2c/8a1b2c3d4e5f.jpg'],
  ['a Wikimedia original', 'https://upload.wikimedia.org/wikipedia/commons/a/ab/Tour_Eiffel.jpg'],
  ['a Behance max_3840', 'https://mir-s3-cdn-cf.behance.net/project_modules/max_3840/abc.jpg'],
  ['an ArtStation 4k', 'https://cdnb.artstation.com/p/assets/images/images/001/002/003/4k/a.jpg?1'],
  ['an Unsplash photo without sizes', 'https://images.unsplash.com/photo-1501785888041-af3ef285b470?ixid=abc'],
  ['a Shopify original', 'https://cdn.shopify.com/s/files/1/0123/products/mug.jpg?v=1'],
  ['a WordPress original', 'https://blog.example/wp-content/uploads/2024/05/kitchen.jpg'],
  ['a Cloudinary original', 'https://res.cloudinary.com/demo/image/upload/v1571218039/sample.jpg'],
  ['a data: URL', 'data:image/png;base64,iVBORw0KGgo='],
  ['a blob: URL', 'blob:https://example.com/1234-5678'],
  ['not a URL', 'photo.jpg'],
];

describe('upgrading an image CDN’s smaller rendition', () => {
  it.each(corpus)('%s', (_, url, expected) => {
    expect(upgradeCandidates(url)).toEqual(expected);
  });

  it.each(alreadyBest)('proposes nothing for %s', (_, url) => {
    expect(upgradeCandidates(url)).toEqual([]);
  });

  it('never proposes the URL itself nor anything but http(s)', () => {
    for (const [, url] of corpus) {
      for (const candidate of upgradeCandidates(url)) {
        expect(candidate).not.toBe(url);
        expect(new URL(candidate).protocol).toMatch(/^https?:$/);
      }
    }
    // A Next.js optimizer URL whose original is a script, or data, is not followed there.
    expect(upgradeCandidates('https://shop.example/_next/image?url=javascript%3Aalert(1)&w=640')).toEqual(['https://shop.example/_next/image?url=javascript%3Aalert%281%29&w=3840']);
    expect(upgradeCandidates('https://shop.example/_next/image?url=data%3Aimage%2Fpng%3Bbase64%2CAAAA&w=3840')).toEqual([]);
  });

  it('gives every rendition of one image the same key', () => {
    const sizes = ['236x', '474x', '736x', 'originals'].map((size) => `https://i.pinimg.com/${size}/8a/1b/2c/8a1b2c3d4e5f.jpg`);
    expect(new Set(sizes.map(renditionKey)).size).toBe(1);
    const behance = ['404', '1400', 'max_3840'].map((size) => `https://mir-s3-cdn-cf.behance.net/project_modules/${size}/abc.jpg`);
    expect(new Set(behance.map(renditionKey)).size).toBe(1);
    expect(renditionKey('https://example.com/a.jpg')).toBe('https://example.com/a.jpg');
  });
});

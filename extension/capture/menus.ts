// The context menu: what a right-click offers, where, and where each capture goes in the side
// panel. The image menus appear wherever an image can be under the pointer: on an image or a
// video the browser names its source; elsewhere (a CSS background, an image under an overlay,
// a canvas, a link, a frame, a selection) the picker asks which image is meant.
export const imageMenus = [
  { id: 'reference', title: 'Use as reference' },
  { id: 'image_to_prompt', title: 'Image to prompt' },
  { id: 'agentic', title: 'Add to Agentic references' },
  { id: 'training', title: 'Add to training set…' },
  { id: 'pin_character', title: 'Pin as character' },
  { id: 'pin_product', title: 'Pin as product' },
] as const;

export const pageMenus = [
  { id: 'collect', title: 'Collect images from this page…' },
  { id: 'region', title: 'Capture a region…' },
] as const;

/** Where a right-click can have an image under it (the browser's context names, in Chrome and Firefox alike). */
export const imageContexts = ['image', 'video', 'page', 'frame', 'link', 'selection'] as const;
/** Anywhere on the page itself, also inside a frame. */
export const pageContexts = ['page', 'frame'] as const;

export type ImageMenu = (typeof imageMenus)[number]['id'];
export type PageMenu = (typeof pageMenus)[number]['id'];
export type CaptureMenu = ImageMenu | 'region';
export const isImageMenu = (id: string): id is ImageMenu => imageMenus.some((m) => m.id === id);

type MenuContext = (typeof imageContexts)[number] | (typeof pageContexts)[number];
interface ContextMenus {
  removeAll(): Promise<void>;
  create(item: { id: string; title: string; contexts: [MenuContext, ...MenuContext[]] }): unknown;
}

/** Puts every item in its contexts, replacing what an older version left. */
export async function createMenus(menus: ContextMenus): Promise<void> {
  await menus.removeAll();
  for (const item of imageMenus) menus.create({ id: item.id, title: item.title, contexts: [...imageContexts] });
  for (const item of pageMenus) menus.create({ id: item.id, title: item.title, contexts: [...pageContexts] });
}

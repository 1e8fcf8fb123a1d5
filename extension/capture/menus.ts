// The context menu: what a right-click on an image (or a page) offers, and where each
// capture goes in the side panel.
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

export type ImageMenu = (typeof imageMenus)[number]['id'];
export type PageMenu = (typeof pageMenus)[number]['id'];
export type CaptureMenu = ImageMenu | 'region';
export const isImageMenu = (id: string): id is ImageMenu => imageMenus.some((m) => m.id === id);

// Where the studio page is: one view and its subject, kept in the address's hash so a view can
// be linked to, reloaded, and opened from the side panel at the right place.
export type StudioRoute =
  | { view: 'training' }
  | { view: 'styles'; styleId?: string }
  | { view: 'library'; modelId?: string; handle?: string }
  | { view: 'earnings' }
  | { view: 'profile' };

export type StudioView = StudioRoute['view'];

export const studioViews: Record<StudioView, string> = {
  training: 'Training set',
  styles: 'My Styles',
  library: 'Library',
  earnings: 'Earnings',
  profile: 'Profile',
};

/** `#styles/sty_01`, `#library/model/sty_01`, `#library/creator/mira` → a route (unknown: the training set). */
export function parseRoute(hash: string): StudioRoute {
  const [view, a, b] = hash.replace(/^#/, '').split('/').map(decodeURIComponent);
  if (view === 'styles') return a ? { view, styleId: a } : { view };
  if (view === 'library') return a === 'model' && b ? { view, modelId: b } : a === 'creator' && b ? { view, handle: b } : { view };
  if (view === 'earnings' || view === 'profile') return { view };
  return { view: 'training' };
}

export function routeHash(route: StudioRoute): string {
  const parts: string[] = [route.view];
  if (route.view === 'styles' && route.styleId) parts.push(route.styleId);
  if (route.view === 'library' && route.modelId) parts.push('model', route.modelId);
  else if (route.view === 'library' && route.handle) parts.push('creator', route.handle);
  return `#${parts.map(encodeURIComponent).join('/')}`;
}

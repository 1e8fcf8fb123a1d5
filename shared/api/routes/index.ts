// Every route of API v1, declared once: the Worker serves and documents them, the extension
// calls them.
export * from './auth';
export * from './credits';
export * from './generations';
export * from './images';
export * from './licenses';
export * from './models';
export * from './pins';
export * from './style';
export * from './webhooks';

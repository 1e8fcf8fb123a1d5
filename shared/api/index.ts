// Every request and response shape of API v1, imported by the Worker and the extension alike.
export * from './auth';
export * from './credits';
export * from './edits';
export * from './generation';
export * from './models';
export * from './pins';
export * from './problem';
export * from '../statuses';

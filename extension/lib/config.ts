// Where the API lives, fixed at build time (WXT_API_URL; npm start points it at the local Worker).
export const API_URL: string = import.meta.env.WXT_API_URL ?? 'http://127.0.0.1:8787';

// The extension build: WXT with Preact, promise-based browser.* through the polyfill module,
// MV3 for Chrome and a Firefox build. The API it talks to is fixed at build time.
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

const apiUrl = new URL(process.env.WXT_API_URL ?? 'http://127.0.0.1:8787');

export default defineConfig({
  srcDir: 'extension',
  // Browser tests build into their own folder so they never replace the development build.
  outDir: process.env.WXT_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
    define: { 'import.meta.env.WXT_API_URL': JSON.stringify(apiUrl.origin) },
  }),
  manifest: {
    name: 'Exactly — AI image studio',
    description: 'Use any image on the web as a reference, train your own Style, and generate from the side panel.',
    // storage: tokens and settings; sidePanel: the studio lives there (WXT adds it for Chrome).
    permissions: ['storage'],
    // Only the API itself: the background and panel call it with the user's token.
    host_permissions: [`${apiUrl.protocol}//${apiUrl.hostname}/*`],
    action: { default_title: 'Open Exactly' },
  },
});

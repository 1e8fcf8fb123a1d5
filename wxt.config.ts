// The extension build: WXT with Preact, promise-based browser.* through the polyfill module,
// MV3 for Chrome and a Firefox build. The API it talks to is fixed at build time.
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

const apiUrl = new URL(process.env.WXT_API_URL ?? 'http://127.0.0.1:8787');
/** Browser-test builds: the capture hook, and host access granted up front (no prompt to click). */
const e2eHooks = process.env.WXT_E2E_HOOKS === '1';
/**
 * Firefox browser-test builds only: WebDriver BiDi cannot navigate to moz-extension:// pages,
 * so a second background script opens the panel in a tab when the add-on is installed; the
 * test drives that tab (and reaches the background's hook from it).
 */
const OPEN_PANEL_ON_INSTALL = 'e2e-open-panel.js';
const openPanelOnInstall = `browser.runtime.onInstalled.addListener(() => browser.tabs.create({ url: browser.runtime.getURL('/sidepanel.html') }));\n`;

export default defineConfig({
  srcDir: 'extension',
  // Browser tests build into their own folder so they never replace the development build.
  outDir: process.env.WXT_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
    define: {
      'import.meta.env.WXT_API_URL': JSON.stringify(apiUrl.origin),
      'import.meta.env.WXT_E2E_HOOKS': JSON.stringify(e2eHooks),
    },
  }),
  hooks: {
    'build:publicAssets': (wxt, files) => {
      if (e2eHooks && wxt.config.browser === 'firefox') files.push({ relativeDest: OPEN_PANEL_ON_INSTALL, contents: openPanelOnInstall });
    },
    'build:manifestGenerated': (wxt, manifest) => {
      if (e2eHooks && wxt.config.browser === 'firefox' && manifest.background && 'scripts' in manifest.background) manifest.background.scripts = [...(manifest.background.scripts ?? []), OPEN_PANEL_ON_INSTALL];
    },
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Exactly — AI image studio',
    description: 'Use any image on the web as a reference, train your own Style, and generate from the side panel.',
    // Each permission is explained in the README.
    permissions: ['storage', 'contextMenus', 'activeTab', 'scripting', 'declarativeNetRequestWithHostAccess'],
    host_permissions: [`${apiUrl.protocol}//${apiUrl.hostname}/*`, ...(e2eHooks ? ['<all_urls>'] : [])],
    // Asked for one image host at a time, when a capture needs it (MV2 names it differently).
    ...(manifestVersion === 2 ? { optional_permissions: ['<all_urls>'] } : { optional_host_permissions: ['<all_urls>'] }),
    action: { default_title: 'Open Exactly' },
    // Firefox: the add-on's id (kept across updates, and needed to sign and list it), the first
    // release with every API it uses (storage.session, declarativeNetRequest, scripting), and
    // what it sends to its API, as Firefox asks a new add-on to declare: the designer's email
    // to sign in, and the images they capture with the page each came from.
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'exactly@image-studio',
              strict_min_version: '128.0',
              data_collection_permissions: { required: ['authenticationInfo', 'personallyIdentifyingInfo', 'websiteContent', 'browsingActivity'] },
            },
          },
        }
      : {}),
  }),
});

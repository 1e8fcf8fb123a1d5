// The panel's stylesheet follows dark mode for what it says: notices and the error banner get
// dark backgrounds there, with text that reads on them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Tests run from the repository's root (this project's DOM makes import.meta.url no file URL).
const css = readFileSync(resolve('extension/panel/panel.css'), 'utf8');

/** The declarations of a selector inside the stylesheet's dark-mode blocks, last one winning. */
function darkRule(selector: string): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const block of css.matchAll(/@media \(prefers-color-scheme: dark\) \{([\s\S]*?)\n\}/g)) {
    for (const rule of block[1]!.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
      if (!rule[1]!.split(',').map((s) => s.trim()).includes(selector)) continue;
      for (const declaration of rule[2]!.split(';')) {
        const [name, value] = declaration.split(':').map((s) => s?.trim());
        if (name && value) rules[name] = value;
      }
    }
  }
  return rules;
}

/** Relative luminance of a #rrggbb colour (WCAG). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);

describe('in dark mode', () => {
  it('the error banner is dark, and its words read on it (WCAG AA)', () => {
    const banner = darkRule('.notice.error');
    const error = darkRule(':root')['--error']!;
    expect(luminance(banner.background!)).toBeLessThan(0.1);
    expect(banner.color).toBe('var(--error)');
    expect(contrast(banner.background!, error)).toBeGreaterThanOrEqual(4.5);
  });

  it('other notices are dark too, and error text reads on the dark cards', () => {
    const notice = darkRule('.notice');
    expect(luminance(notice.background!)).toBeLessThan(0.1);
    expect(contrast(notice.background!, notice.color!)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(darkRule(':root')['--card']!, darkRule(':root')['--error']!)).toBeGreaterThanOrEqual(4.5);
  });
});

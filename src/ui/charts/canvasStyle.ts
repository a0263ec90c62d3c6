/**
 * The text colour, font family and panel colour a canvas chart draws with, read from CSS once per
 * element and theme, not on every redraw: getComputedStyle right after React's commit forces a style
 * recalculation each frame while training runs. The cache is dropped when the page's theme can have
 * changed: an attribute of <html> (class, style, data-theme, data-lecture) or the system's colour
 * scheme.
 */

export interface CanvasStyle {
  /** the text and axis colour */
  fg: string;
  fontFamily: string;
  /** the panel's background, for halos behind text over curves */
  panel: string;
}

let version = 0;
let watching = false;
const cache = new WeakMap<Element, { version: number; style: CanvasStyle }>();

function watch(): void {
  if (watching || typeof document === 'undefined') return;
  watching = true;
  const bump = () => version++;
  new MutationObserver(bump).observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style', 'data-theme', 'data-lecture'] });
  if (typeof matchMedia === 'function') matchMedia('(prefers-color-scheme: dark)').addEventListener('change', bump);
}

/** The element's drawing style, from the cache while the theme is unchanged. */
export function canvasStyleOf(el: Element): CanvasStyle {
  watch();
  const hit = cache.get(el);
  if (hit && hit.version === version) return hit.style;
  const css = getComputedStyle(el);
  const panel = css.getPropertyValue('--panel').trim() || '#ffffff';
  const style = { fg: css.color, fontFamily: css.fontFamily || 'system-ui, sans-serif', panel };
  cache.set(el, { version, style });
  return style;
}

/**
 * Reads what a panel shows into a Scene (exportCompose.ts): every <svg> chart with its computed
 * styles inlined (so a chart styled by CSS classes looks the same in a file), every <canvas> chart
 * redrawn at the export scale where it registered a way to (else its pixels as they are), every
 * line of text where the browser laid it out, and every coloured box. Controls (buttons, inputs,
 * the view switches) and visually hidden text stay out.
 */
import { pixelSize, type Scene, type SceneItem, type WordBox, linesOf } from './exportCompose';

/** A canvas chart's redraw at `scale` device pixels per CSS px, for a sharp export. */
type HiResDraw = (scale: number) => HTMLCanvasElement | null;
const hiRes = new WeakMap<HTMLCanvasElement, HiResDraw>();

/** Canvas charts call this after each draw: how to draw the same picture at any scale. */
export function registerHiRes(canvas: HTMLCanvasElement, draw: HiResDraw): void {
  hiRes.set(canvas, draw);
}

const SKIP = 'button, select, input, textarea, details, summary, [data-export-skip], [aria-hidden="true"]:not(svg), .visually-hidden';

/** SVG presentation properties whose computed values are written inline on the copy. */
const SVG_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-dashoffset',
  'paint-order',
  'opacity',
  'font-size',
  'font-weight',
  'font-style',
  'font-family',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

const transparent = (c: string) => !c || c === 'transparent' || /rgba\(.*,\s*0\)$/.test(c) || /\/\s*0\)$/.test(c);

/** The chart as markup with computed styles inline, placed at (x, y) in the figure. */
function svgItem(svg: SVGSVGElement, x: number, y: number, width: number, height: number): SceneItem {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const to = [copy, ...Array.from(copy.querySelectorAll('*'))];
  from.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const target = to[i];
    if (!(target instanceof SVGElement)) return;
    const inline = SVG_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`);
    if (cs.display === 'none') inline.push('display:none');
    target.setAttribute('style', inline.join(';'));
    target.removeAttribute('class');
  });
  copy.setAttribute('x', String(x));
  copy.setAttribute('y', String(y));
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('overflow', 'visible');
  copy.removeAttribute('tabindex');
  return { kind: 'svg', x, y, width, height, markup: new XMLSerializer().serializeToString(copy) };
}

function canvasItem(canvas: HTMLCanvasElement, x: number, y: number, width: number, height: number, scale: number): SceneItem | null {
  let source: HTMLCanvasElement = canvas;
  try {
    source = hiRes.get(canvas)?.(scale) ?? canvas;
  } catch {
    source = canvas; // a redraw that fails still leaves the picture on screen
  }
  if (source.width < 1 || source.height < 1) return null;
  return { kind: 'image', x, y, width, height, href: source.toDataURL('image/png'), pixelWidth: source.width, pixelHeight: source.height };
}

/** The lines of one text node, where the browser laid them out. */
function textItems(node: Text, cs: CSSStyleDeclaration, origin: DOMRect, opacity: number): SceneItem[] {
  const data = node.data;
  const words: WordBox[] = [];
  const range = document.createRange();
  for (const m of data.matchAll(/\S+/g)) {
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const r = range.getBoundingClientRect();
    if (r.width > 0 || r.height > 0) words.push({ text: m[0], left: r.left - origin.left, right: r.right - origin.left, top: r.top - origin.top, bottom: r.bottom - origin.top });
  }
  // CSS may show the text in other letters than the DOM holds ("Backend" as BACKEND)
  const shown = (t: string) => (cs.textTransform === 'uppercase' ? t.toUpperCase() : cs.textTransform === 'lowercase' ? t.toLowerCase() : t);
  return linesOf(words).map((l) => ({
    kind: 'text',
    ...l,
    text: shown(l.text),
    size: parseFloat(cs.fontSize) || 14,
    weight: cs.fontWeight,
    style: cs.fontStyle,
    family: cs.fontFamily,
    color: cs.color,
    opacity,
  }));
}

/** An element's background and its borders, as filled rectangles. */
function boxItems(el: Element, cs: CSSStyleDeclaration, r: DOMRect, origin: DOMRect, opacity: number): SceneItem[] {
  const out: SceneItem[] = [];
  const x = r.left - origin.left;
  const y = r.top - origin.top;
  if (!transparent(cs.backgroundColor)) out.push({ kind: 'rect', x, y, width: r.width, height: r.height, fill: cs.backgroundColor, opacity });
  const sides: [string, number, number, number, number][] = [
    ['Left', x, y, parseFloat(cs.borderLeftWidth), r.height],
    ['Top', x, y, r.width, parseFloat(cs.borderTopWidth)],
    ['Right', x + r.width - parseFloat(cs.borderRightWidth), y, parseFloat(cs.borderRightWidth), r.height],
    ['Bottom', x, y + r.height - parseFloat(cs.borderBottomWidth), r.width, parseFloat(cs.borderBottomWidth)],
  ];
  for (const [side, sx, sy, w, h] of sides) {
    const style = cs.getPropertyValue(`border-${side.toLowerCase()}-style`);
    const colour = cs.getPropertyValue(`border-${side.toLowerCase()}-color`);
    if (w > 0 && h > 0 && style !== 'none' && style !== 'hidden' && !transparent(colour) && el !== document.documentElement)
      out.push({ kind: 'rect', x: sx, y: sy, width: w, height: h, fill: colour, opacity });
  }
  return out;
}

/** The box, in the figure's coordinates, that an overflow: hidden ancestor lets show. */
interface Clip {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const within = (it: SceneItem, c: Clip | null): boolean => {
  if (!c) return true;
  if (it.kind === 'text') return it.y >= c.top && it.y <= c.bottom && it.x < c.right;
  return it.x < c.right && it.x + it.width > c.left && it.y < c.bottom && it.y + it.height > c.top;
};

function walk(el: Element, origin: DOMRect, scale: number, opacity: number, clip: Clip | null, items: SceneItem[]): void {
  if (el.matches(SKIP) || (el.matches('label') && el.querySelector('input, select, textarea'))) return;
  const cs = getComputedStyle(el);
  if (cs.display === 'none' || cs.visibility === 'hidden' || (el instanceof HTMLElement && el.hidden)) return;
  const o = opacity * (parseFloat(cs.opacity) || 0);
  if (o <= 0) return;
  const r = el.getBoundingClientRect();
  const x = r.left - origin.left;
  const y = r.top - origin.top;
  const keep = (list: SceneItem[]) => items.push(...list.filter((it) => within(it, clip)));
  if (el instanceof SVGSVGElement) {
    if (r.width > 0 && r.height > 0) keep([svgItem(el, x, y, r.width, r.height)]);
    return;
  }
  if (el instanceof HTMLCanvasElement) {
    const it = r.width > 0 && r.height > 0 ? canvasItem(el, x, y, r.width, r.height, scale) : null;
    if (it) keep([it]);
    return;
  }
  keep(boxItems(el, cs, r, origin, o));
  // What overflow: hidden cuts off on screen stays out; a scrolling box's content all comes along.
  let inner = clip;
  if (/hidden|clip/.test(cs.overflowY) || /hidden|clip/.test(cs.overflowX)) {
    const own = { left: x, top: y, right: x + r.width, bottom: y + r.height };
    inner = clip ? { left: Math.max(own.left, clip.left), top: Math.max(own.top, clip.top), right: Math.min(own.right, clip.right), bottom: Math.min(own.bottom, clip.bottom) } : own;
  }
  for (const child of Array.from(el.childNodes)) {
    if (child instanceof Text) {
      if (child.data.trim()) keep(textItems(child, cs, origin, o));
    } else if (child instanceof Element) walk(child, origin, scale, o, inner, items);
  }
}

/** What `root` shows, as a Scene: its size on screen, its colours and everything drawn in it. */
export function captureScene(root: HTMLElement, title: string, subtitle: string, scale: number): Scene {
  const origin = root.getBoundingClientRect();
  const cs = getComputedStyle(root);
  const items: SceneItem[] = [];
  for (const child of Array.from(root.children)) walk(child, origin, scale, 1, null, items);
  let background = getComputedStyle(root.closest('.panel') ?? document.body).backgroundColor;
  if (transparent(background)) background = '#ffffff';
  // All of the content, also what a panel scrolls out of view, and no empty band under it.
  const top = Math.min(0, ...items.map((it) => it.y));
  const bottom = Math.max(...items.map((it) => it.y + (it.kind === 'text' ? it.size * 0.7 : it.height))) + 6;
  return {
    title,
    subtitle,
    width: origin.width,
    height: bottom - top,
    above: -top,
    background,
    color: cs.color,
    fontFamily: cs.fontFamily,
    rem: parseFloat(getComputedStyle(document.documentElement).fontSize) || 14,
    items,
  };
}

/** An SVG document as a loaded image, to draw on a canvas at any size (the PNG export, a clip's frames). */
export async function svgImage(svgText: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the browser could not draw the figure as an image'));
      img.src = url;
    });
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The PNG of an SVG document drawn at `scale`. */
export async function rasterize(svgText: string, width: number, height: number, scale: number): Promise<Blob> {
  const size = pixelSize(width, height, scale);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gave no 2D canvas to draw the image on');
  ctx.drawImage(await svgImage(svgText), 0, 0, size.width, size.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error(`the browser could not encode a ${size.width}×${size.height} PNG`);
  return blob;
}

/**
 * Export of a chart: the SVG as a file, a PNG at twice the screen resolution (from the SVG or the
 * canvas), and the plotted data as CSV. Nothing here renders user text as HTML.
 */

export type CsvRows = (string | number)[][];

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A standalone SVG document of the element, its computed text and line styles inlined. */
export function svgDocument(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const { width, height } = svg.getBoundingClientRect();
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  const style = getComputedStyle(svg);
  clone.setAttribute('style', `font-family:${style.fontFamily};font-size:${style.fontSize};background:${getComputedStyle(document.body).backgroundColor}`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

export function csvText(rows: CsvRows): string {
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

export function exportSvg(svg: SVGSVGElement, name: string): void {
  download(new Blob([svgDocument(svg)], { type: 'image/svg+xml' }), `${name}.svg`);
}

/** A canvas chart as an SVG file: the pixels embedded as a PNG image (a raster inside a vector
 *  file, so every chart has an SVG that drops into slides and documents). */
export function canvasSvgDocument(canvas: HTMLCanvasElement): string {
  const { width, height } = canvas.getBoundingClientRect();
  const w = Math.round(width);
  const h = Math.round(height);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><image href="${canvas.toDataURL('image/png')}" width="${w}" height="${h}"/></svg>`;
}

export function exportCanvasSvg(canvas: HTMLCanvasElement, name: string): void {
  download(new Blob([canvasSvgDocument(canvas)], { type: 'image/svg+xml' }), `${name}.svg`);
}

export function exportCsv(rows: CsvRows, name: string): void {
  download(new Blob([csvText(rows)], { type: 'text/csv' }), `${name}.csv`);
}

/** PNG of a canvas, or of an SVG drawn onto a canvas at 2× scale. */
export async function exportPng(el: SVGSVGElement | HTMLCanvasElement, name: string): Promise<void> {
  let canvas: HTMLCanvasElement;
  if (el instanceof HTMLCanvasElement) canvas = el;
  else {
    const { width, height } = el.getBoundingClientRect();
    canvas = document.createElement('canvas');
    canvas.width = Math.round(width * 2);
    canvas.height = Math.round(height * 2);
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const img = new Image();
    const url = URL.createObjectURL(new Blob([svgDocument(el)], { type: 'image/svg+xml' }));
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      img.src = url;
    });
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    URL.revokeObjectURL(url);
  }
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob) download(blob, `${name}.png`);
}

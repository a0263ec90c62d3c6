/**
 * A dense grid (rows × time) on <canvas>, with d3 axes in an SVG overlay: hidden units, gates or
 * inputs against time. Cells go through an ImageData of one pixel per cell, scaled up without
 * smoothing, so thousands of cells redraw in well under a millisecond. Hovering names a cell.
 */
import { scaleLinear, type NumberValue } from 'd3';
import { useLayoutEffect, useRef, useState } from 'react';
import { registerHiRes } from '../../exportCapture';
import { Axis } from '../Axis';
import { lutIndex, type Lut } from './colors';
import './inside.css';

export interface HeatmapProps {
  rows: number;
  cols: number;
  /** the value of row r at column c */
  value: (r: number, c: number) => number;
  lut: Lut;
  domain: [number, number];
  width: number;
  height: number;
  /** room for the axes, px */
  left: number;
  bottom: number;
  /** the time index of column 0 */
  firstCol?: number;
  xLabel?: string;
  yLabel?: string;
  /** rows after which a separating line is drawn (e.g. forward | reverse units) */
  separators?: number[];
  ariaLabel: string;
  /** the cell under the pointer, in words */
  describe: (r: number, c: number) => string;
  className?: string;
  /** where the hover text goes; without it, a line under the heatmap */
  onHover?: (text: string | null) => void;
}

const intFormat = (v: NumberValue) => (Number.isInteger(+v) ? String(+v) : '');

export function Heatmap(props: HeatmapProps) {
  const { rows, cols, value, lut, domain, width, height, left, bottom, firstCol = 0, xLabel, yLabel, separators = [], ariaLabel, describe, className, onHover } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const grid = useRef<{ canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D; img: ImageData } | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  const w = Math.max(1, Math.floor(width - left - 4));
  const h = Math.max(1, Math.floor(height - bottom - 4));
  const top = 4;

  useLayoutEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const dpr = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
    // Assigning a canvas's size reallocates and clears it, even to the same value: only on a change.
    if (el.width !== Math.round(w * dpr)) el.width = Math.round(w * dpr);
    if (el.height !== Math.round(h * dpr)) el.height = Math.round(h * dpr);
    ctx.clearRect(0, 0, el.width, el.height);
    if (rows <= 0 || cols <= 0) return;
    // One pixel per cell, in a canvas and an ImageData kept from the last redraw while the grid's
    // shape holds (a new canvas and its context per redraw cost more than the cells).
    let cells = grid.current;
    if (!cells || cells.img.width !== cols || cells.img.height !== rows) {
      const cellCanvas = document.createElement('canvas'); // (rows, cols)
      cellCanvas.width = cols;
      cellCanvas.height = rows;
      // in memory, not on the GPU: the export reads it back (a GPU canvas waits on a busy GPU process)
      const cellCtx = cellCanvas.getContext('2d', { willReadFrequently: true });
      if (!cellCtx) return;
      cells = grid.current = { canvas: cellCanvas, ctx: cellCtx, img: new ImageData(cols, rows) };
    }
    const { img, canvas: off } = cells;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const i = lutIndex(value(r, c), domain[0], domain[1]);
        const o = (r * cols + c) * 4;
        img.data[o] = i < 0 ? 150 : lut[i * 3];
        img.data[o + 1] = i < 0 ? 150 : lut[i * 3 + 1];
        img.data[o + 2] = i < 0 ? 150 : lut[i * 3 + 2];
        img.data[o + 3] = 255;
      }
    cells.ctx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(off, 0, 0, el.width, el.height);
    // the export scales the same cells up to its own resolution, sharp at every cell edge
    registerHiRes(el, (scale) => {
      const big = document.createElement('canvas');
      big.width = Math.round(w * scale);
      big.height = Math.round(h * scale);
      const bctx = big.getContext('2d', { willReadFrequently: true });
      if (!bctx) return null;
      bctx.imageSmoothingEnabled = false;
      bctx.drawImage(off, 0, 0, big.width, big.height);
      return big;
    });
  });

  const x = scaleLinear().domain([firstCol - 0.5, firstCol + cols - 0.5]).range([0, w]);
  const y = scaleLinear().domain([-0.5, rows - 0.5]).range([0, h]);
  const onMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const c = Math.floor(((e.clientX - rect.left) / rect.width) * cols);
    const r = Math.floor(((e.clientY - rect.top) / rect.height) * rows);
    const text = r >= 0 && r < rows && c >= 0 && c < cols ? describe(r, c) : null;
    if (onHover) onHover(text);
    else setHover(text);
  };

  return (
    <div className={`in-heatmap ${className ?? ''}`}>
      <div className="in-heatmap-frame" style={{ width, height }}>
        <canvas
          ref={canvas}
          role="img"
          aria-label={ariaLabel}
         
          style={{ position: 'absolute', left, top, width: w, height: h }}
          onPointerMove={onMove}
          onPointerLeave={() => (onHover ? onHover(null) : setHover(null))}
        />
        <svg width={width} height={height} className="in-heatmap-axes" aria-hidden="true">
          <g transform={`translate(${left},${top})`}>
            {separators.map((s) => (
              <line key={s} className="in-separator" x1={0} x2={w} y1={y(s - 0.5)} y2={y(s - 0.5)} />
            ))}
            <Axis scale={x} orient="bottom" y={h} ticks={Math.max(2, Math.floor(w / 60))} format={intFormat} label={xLabel} labelOffset={bottom - 4} />
            <Axis scale={y} orient="left" ticks={Math.max(2, Math.min(rows, Math.floor(h / 28)))} format={intFormat} label={yLabel} labelOffset={left - 12} />
          </g>
        </svg>
      </div>
      {!onHover && (
        <p className="in-hover" aria-live="off">
          {hover ?? '\u00a0'}
        </p>
      )}
    </div>
  );
}

/**
 * Line plots stacked over one another on one <canvas> (the training curves): React owns the
 * element, each render asks for a redraw in the next animation frame (../canvasFrame: at most one
 * per frame, no forced style recalculation), the backing store sized by the screen's
 * devicePixelRatio. The PNG/SVG export and the clip recorder redraw it at their own scale.
 */
import { useLayoutEffect, useRef } from 'react';
import { drawNextFrame } from '../canvasFrame';
import { registerHiRes } from '../../exportCapture';
import { canvasStyleOf } from '../canvasStyle';
import { drawLinePlot, prepareCanvas } from './linePlotCanvas';
import { layoutLinePlot } from './lineLayout';
import type { LineChartProps } from './LineChart';
import './lines.css';

export interface StackedPlot {
  /** the plot's top, px from the canvas's top */
  top: number;
  props: LineChartProps;
}

function drawStack(canvas: HTMLCanvasElement, width: number, height: number, plots: StackedPlot[], dpr: number, styleFrom: Element): void {
  const ctx = prepareCanvas(canvas, width, height, dpr);
  if (!ctx) return;
  const style = canvasStyleOf(styleFrom);
  for (const { top, props } of plots) {
    const L = layoutLinePlot(props);
    if (!L) continue;
    ctx.save();
    ctx.translate(0, top);
    drawLinePlot(ctx, L, props, style, dpr);
    ctx.restore();
  }
}

export function LineCanvas({ width, height, plots, ariaLabel, testId }: { width: number; height: number; plots: StackedPlot[]; ariaLabel: string; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || width < 40 || height < 40) return;
    drawNextFrame(el, () => drawStack(el, width, height, plots, window.devicePixelRatio || 1, el));
    // the export redraws the same plots at its own scale, from the data as it is then
    registerHiRes(el, (scale) => {
      const off = document.createElement('canvas');
      off.getContext('2d', { willReadFrequently: true }); // in memory: the export reads it back without waiting on the GPU
      drawStack(off, width, height, plots, scale, el);
      return off;
    });
  });
  if (width < 40 || height < 40) return null;
  return <canvas ref={ref} className="achart lchart-canvas" role="img" aria-label={ariaLabel} data-testid={testId} />;
}

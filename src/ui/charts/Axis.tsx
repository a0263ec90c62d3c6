/**
 * A d3 axis in a leaf <g> that d3 owns through a ref ("D3 in React"): React places the group, d3
 * draws ticks into it before the browser paints (a layout effect, so ticks never lag the marks
 * by a frame while training runs). Text size comes from CSS (rem), so it grows in the lecture mode.
 */
import { axisBottom, axisLeft, select, type AxisScale, type NumberValue } from 'd3';
import { useLayoutEffect, useRef } from 'react';
import './charts.css';

export interface AxisProps {
  scale: AxisScale<NumberValue>;
  orient: 'bottom' | 'left';
  x?: number;
  y?: number;
  ticks?: number;
  /** a d3-format specifier, or a function */
  format?: string | ((v: NumberValue) => string);
  /** an axis title, placed under (bottom) or beside (left) the ticks */
  label?: string;
  /** room between the axis line and its title, px */
  labelOffset?: number;
  /** a left axis's title: rotated beside the ticks, or level above the axis (saves width) */
  labelAt?: 'side' | 'top';
}

export function Axis({ scale, orient, x = 0, y = 0, ticks = 5, format, label, labelOffset = 28, labelAt = 'side' }: AxisProps) {
  const ref = useRef<SVGGElement>(null);
  useLayoutEffect(() => {
    if (!ref.current) return;
    const axis = orient === 'bottom' ? axisBottom(scale) : axisLeft(scale);
    if (typeof format === 'function') axis.ticks(ticks).tickFormat(format);
    else axis.ticks(ticks, format);
    axis.tickSizeOuter(0);
    const g = select(ref.current).call(axis);
    g.attr('font-size', null).attr('font-family', null);
  });
  const [r0, r1] = scale.range();
  const mid = (r0 + r1) / 2;
  return (
    <g className="sp-axis" transform={`translate(${x},${y})`}>
      <g ref={ref} />
      {label && orient === 'bottom' && (
        <text className="sp-axis-label" x={mid} y={labelOffset} textAnchor="middle">
          {label}
        </text>
      )}
      {label && orient === 'left' && labelAt === 'top' && (
        <text className="sp-axis-label" x={-labelOffset} y={Math.min(r0, r1) - 8} textAnchor="start">
          {label}
        </text>
      )}
      {label && orient === 'left' && labelAt === 'side' && (
        <text className="sp-axis-label" transform={`translate(${-labelOffset},${mid}) rotate(-90)`} textAnchor="middle">
          {label}
        </text>
      )}
    </g>
  );
}

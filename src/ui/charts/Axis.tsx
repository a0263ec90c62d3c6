/**
 * A d3 axis in a leaf <g> that d3 owns through a ref ("D3 in React"): React places the group, d3
 * draws ticks into it before the browser paints (a layout effect, so ticks never lag the marks
 * by a frame while training runs), and only when its scale, ticks or format changed. Text size comes
 * from CSS (rem), so it grows in the lecture mode.
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
  // What the ticks were drawn from: an unchanged axis is not redrawn (a chart that re-renders per
  // frame while its points glide would otherwise rebuild every tick's text node each frame).
  const drawn = useRef<{ el: SVGGElement; key: string; format: AxisProps['format'] } | null>(null);
  useLayoutEffect(() => {
    if (!ref.current) return;
    const domain = scale.domain().map(Number);
    // the middle of the domain tells a log scale from a linear one over the same domain and range
    const mid = domain.length === 2 ? scale((domain[0] + domain[1]) / 2) : undefined;
    const key = `${orient}|${ticks}|${domain.join(',')}|${scale.range().join(',')}|${mid}`;
    const last = drawn.current;
    if (last && last.el === ref.current && last.key === key && last.format === format) return;
    drawn.current = { el: ref.current, key, format };
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

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
}

export const PALETTE = [
  '#4f46e5',
  '#0891b2',
  '#16a34a',
  '#ea580c',
  '#db2777',
  '#7c3aed',
  '#ca8a04',
  '#475569',
  '#94a3b8',
];

const colour = (index: number) => PALETTE[index % PALETTE.length] ?? '#4f46e5';

function isolated(values: Array<number | null>): number[] {
  const gap = (index: number) => values[index] === null || values[index] === undefined;
  return values.flatMap((value, index) => (value !== null && gap(index - 1) && gap(index + 1) ? [index] : []));
}

/** One time chart (x in epoch seconds); redrawn when the data changes, resized with its box. */
export function TimeChart(props: {
  title: string;
  times: number[];
  series: ChartSeries[];
  format(value: number): string;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { times, series, format } = props;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const width = Math.max(240, element.clientWidth);
    const options: uPlot.Options = {
      width,
      height: 180,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: '#64748b', grid: { stroke: '#eef2f7' }, ticks: { stroke: '#e2e8f0' } },
        {
          stroke: '#64748b',
          grid: { stroke: '#eef2f7' },
          ticks: { stroke: '#e2e8f0' },
          size: 58,
          values: (_u, splits) => splits.map((value) => format(value)),
        },
      ],
      series: [
        {},
        ...series.map((s, index) => ({
          label: s.label,
          stroke: colour(index),
          width: 2,
          // A value between two gaps draws no line: mark it with a dot.
          points: { show: true, size: 7, fill: colour(index), filter: isolated(s.values) },
          spanGaps: false,
          value: (_u: uPlot, value: number | null) => (value === null ? '—' : format(value)),
        })),
      ],
    };
    const data: uPlot.AlignedData = [times, ...series.map((s) => s.values)];
    const plot = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => {
      const next = Math.max(240, element.clientWidth);
      if (next !== plot.width) plot.setSize({ width: next, height: 180 });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [times, series, format]);

  return (
    <section
      className="card chart-card"
      aria-label={props.title}
      data-testid={props.testId}
      data-series={series.length}
    >
      <h3>{props.title}</h3>
      <div ref={box} className="chart" />
    </section>
  );
}

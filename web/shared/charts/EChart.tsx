/**
 * A small ECharts wrapper: only the line and bar charts and the components the console uses are registered
 * (echarts/core keeps the bundle small), drawn on canvas. The chart follows its box's size
 * (ResizeObserver) and is disposed on unmount. Tooltips are drawn on the canvas too ("richText"):
 * ECharts' HTML tooltips write inline style attributes, which the console's CSP forbids.
 *
 * A canvas says nothing to a screen reader, so every chart takes a `summary`: the same figures in
 * words, rendered as visually hidden text and as the figure's accessible description.
 */
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import type { ComposeOption } from "echarts/core";
import type { BarSeriesOption, LineSeriesOption } from "echarts/charts";
import type { GridComponentOption, LegendComponentOption, MarkLineComponentOption, TooltipComponentOption } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import { type CSSProperties, useEffect, useId, useRef } from "react";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export type LineChartOption = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption | TooltipComponentOption>;
export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption | TooltipComponentOption
>;

/** Hidden from sight, not from assistive technology. */
const VISUALLY_HIDDEN: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: "hidden",
  clip: "rect(0, 0, 0, 0)",
  whiteSpace: "nowrap",
  border: 0,
};

export function EChart({ option, summary, height = 220, testId }: { option: ChartOption; summary: string; height?: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const summaryId = useId();

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: "canvas" });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ tooltip: { renderMode: "richText" }, ...option }, { notMerge: true });
  }, [option]);

  return (
    <figure style={{ margin: 0 }} aria-describedby={summaryId} data-testid={testId}>
      <div ref={box} role="img" aria-label={summary} style={{ width: "100%", height }} />
      <figcaption id={summaryId} style={VISUALLY_HIDDEN} data-chart-summary="">
        {summary}
      </figcaption>
    </figure>
  );
}

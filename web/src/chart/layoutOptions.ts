// The chart's layout: fcose (spectral placement, then force-directed refinement), not animated.
// Measured on a 500-node chart (benchmarks/bench_web.py): "draft" (spectral only) is ~10x faster
// than "default" but leaves dense groups overlapping, and "default" blocks the page for seconds; so
// a large chart is drawn at once in rings by distance from the root and laid out with "default" in
// a worker (layout.worker.ts), the page staying responsive meanwhile.

import type { LayoutOptions } from "cytoscape";

export type Quality = "draft" | "default" | "proof";

export interface LayoutJob {
  id: number;
  nodes: string[];
  edges: [string, string][];
}

export interface LayoutResult {
  id: number;
  positions: Record<string, { x: number; y: number }> | null;
  ms: number;
  error?: string;
}

/** Above this many nodes the chart is drawn in rings first and laid out in a worker. */
export const WORKER_THRESHOLD = 150;

export function layoutOptions(quality: Quality, randomize: boolean): LayoutOptions {
  return {
    name: "fcose",
    quality,
    randomize,
    animate: false,
    fit: true,
    padding: 30,
    nodeDimensionsIncludeLabels: false,
    uniformNodeDimensions: true,
    packComponents: true,
    nodeRepulsion: () => 9000,
    idealEdgeLength: () => 80,
    edgeElasticity: () => 0.45,
    numIter: 2500,
  } as unknown as LayoutOptions;
}

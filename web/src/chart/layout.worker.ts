// The fcose layout off the main thread, so the page stays responsive while a large chart is laid
// out: headless Cytoscape over the same nodes and edges, positions posted back.

import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import { layoutOptions, type LayoutJob, type LayoutResult } from "./layoutOptions";

cytoscape.use(fcose);

self.onmessage = (e: MessageEvent<LayoutJob>) => {
  const job = e.data;
  const t0 = performance.now();
  try {
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: [{ selector: "node", style: { width: 22, height: 22 } }],
      elements: [
        ...job.nodes.map((id) => ({ group: "nodes" as const, data: { id } })),
        ...job.edges.map(([s, t], i) => ({ group: "edges" as const, data: { id: `e${i}`, source: s, target: t } })),
      ],
    });
    cy.layout(layoutOptions("default", true)).run();
    const positions: LayoutResult["positions"] = {};
    cy.nodes().forEach((n) => {
      positions[n.id()] = { ...n.position() };
    });
    cy.destroy();
    (self as unknown as Worker).postMessage({ id: job.id, positions, ms: performance.now() - t0 } satisfies LayoutResult);
  } catch (err) {
    (self as unknown as Worker).postMessage({ id: job.id, positions: null, ms: 0, error: String(err) } satisfies LayoutResult);
  }
};

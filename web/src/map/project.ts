// Web Mercator (the projection of web map tiles), so a configured tile layer lines up with the
// outline and the points. Coordinates are world pixels at zoom `z` (256 px tiles).

export const TILE = 256;

export function project(lon: number, lat: number, z: number): [number, number] {
  const size = TILE * 2 ** z;
  const x = ((lon + 180) / 360) * size;
  const s = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
  const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size;
  return [x, y];
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The pixel box of a lon/lat extent at zoom z, with a margin in pixels. */
export function boxOf(west: number, south: number, east: number, north: number, z: number, margin = 0): Box {
  const [x0, y0] = project(west, north, z);
  const [x1, y1] = project(east, south, z);
  return { x: x0 - margin, y: y0 - margin, w: x1 - x0 + 2 * margin, h: y1 - y0 + 2 * margin };
}

/** The tiles (x, y at zoom z) that cover a pixel box. */
export function tilesFor(box: Box, z: number): { x: number; y: number; z: number }[] {
  const n = 2 ** z;
  const out: { x: number; y: number; z: number }[] = [];
  for (let tx = Math.floor(box.x / TILE); tx <= Math.floor((box.x + box.w) / TILE); tx++) {
    for (let ty = Math.floor(box.y / TILE); ty <= Math.floor((box.y + box.h) / TILE); ty++) {
      if (ty >= 0 && ty < n) out.push({ x: ((tx % n) + n) % n, y: ty, z });
    }
  }
  return out;
}

export function tileUrl(template: string, t: { x: number; y: number; z: number }): string {
  return template.replace("{z}", String(t.z)).replace("{x}", String(t.x)).replace("{y}", String(t.y));
}

/** Bounds of the UK and Ireland (with Shetland). */
export const UK_BOUNDS = { west: -10.8, south: 49.8, east: 2.0, north: 60.9 };

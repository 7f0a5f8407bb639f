// Deployment settings, read at start-up from config.json beside index.html (api/static/config.json
// once built). Everything is optional; defaults keep the app self-contained.

export interface AppConfig {
  /** Base of the API. */
  apiBase: string;
  /** An XYZ tile URL template (e.g. "https://tiles.example/{z}/{x}/{y}.png") for the network map.
   *  Off (null) by default: the map draws the UK outline shipped with the app, with no network calls. */
  mapTileUrl: string | null;
  /** Attribution text shown under tiles when mapTileUrl is set. */
  mapTileAttribution: string;
  /** Nodes in a network request (the API caps it too). */
  maxNodes: number;
}

export const DEFAULT_CONFIG: AppConfig = {
  apiBase: "/api/v1",
  mapTileUrl: null,
  mapTileAttribution: "",
  maxNodes: 500,
};

export function mergeConfig(raw: unknown): AppConfig {
  const c = { ...DEFAULT_CONFIG };
  if (!raw || typeof raw !== "object") return c;
  const r = raw as Record<string, unknown>;
  if (typeof r.apiBase === "string" && r.apiBase.startsWith("/")) c.apiBase = r.apiBase.replace(/\/+$/, "");
  if (typeof r.mapTileUrl === "string" && /^https?:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(r.mapTileUrl)) c.mapTileUrl = r.mapTileUrl;
  if (typeof r.mapTileAttribution === "string") c.mapTileAttribution = r.mapTileAttribution;
  if (typeof r.maxNodes === "number" && r.maxNodes >= 10 && r.maxNodes <= 2000) c.maxNodes = Math.floor(r.maxNodes);
  return c;
}

export async function loadConfig(): Promise<AppConfig> {
  try {
    const res = await fetch("config.json", { cache: "no-store" });
    if (!res.ok) return DEFAULT_CONFIG;
    return mergeConfig(await res.json());
  } catch {
    return DEFAULT_CONFIG;
  }
}

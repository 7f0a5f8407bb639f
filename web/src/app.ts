// What every page gets: the API client, the session, the deployment config, navigation, and the
// link chart's state (kept in memory while the analyst moves between pages).

import type { Api } from "./api";
import type { ChartModel } from "./chart/model";
import type { AppConfig } from "./config";
import type { Router } from "./router";
import type { Session } from "./session";
import type { Role } from "./types";

export interface App {
  api: Api;
  session: Session;
  config: AppConfig;
  router: Router;
  chart: ChartModel;
  role: Role;
  go(page: string, params?: Record<string, string>): void;
}

/** A page: draws itself into `root`; may return a clean-up run when the page is left. */
export type View = (app: App, params: Record<string, string>, root: HTMLElement) => void | (() => void) | Promise<void | (() => void)>;

// Who is signed in and why: the bearer token and the stated purpose.
//
// Storage choice (see web/README.md): the token and the purpose are kept in this tab's
// sessionStorage, so a reload does not sign the analyst out, and the browser drops them when the
// tab closes. Nothing else is stored by the app: no names, entities, search text or results in
// localStorage, sessionStorage, cookies or the URL (routes keep their parameters in memory).
// The user record (`/me`) is kept in memory only.

import type { Me } from "./types";

const KEY = "linkage.session";

export interface Credentials {
  token: string;
  purpose: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class Session {
  token: string | null = null;
  purpose: string | null = null;
  me: Me | null = null;
  private listeners: (() => void)[] = [];

  constructor(private storage: KeyValueStore | null) {
    const raw = storage?.getItem(KEY);
    if (raw) {
      try {
        const c = JSON.parse(raw) as Partial<Credentials>;
        if (typeof c.token === "string" && typeof c.purpose === "string") {
          this.token = c.token;
          this.purpose = c.purpose;
        }
      } catch {
        storage?.removeItem(KEY);
      }
    }
  }

  get signedIn(): boolean {
    return !!this.token && !!this.purpose && !!this.me;
  }

  signIn(token: string, purpose: string, me: Me): void {
    this.token = token.trim();
    this.purpose = purpose.trim();
    this.me = me;
    this.save();
    this.emit();
  }

  setPurpose(purpose: string): void {
    this.purpose = purpose.trim();
    this.save();
    this.emit();
  }

  signOut(): void {
    this.token = this.purpose = null;
    this.me = null;
    this.storage?.removeItem(KEY);
    this.emit();
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private save(): void {
    if (this.token && this.purpose) {
      this.storage?.setItem(KEY, JSON.stringify({ token: this.token, purpose: this.purpose }));
    }
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}

export function browserSessionStorage(): KeyValueStore | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the session lives in memory only
  }
}

"""What every command gets: the settings (read once here, at the edge) and the store."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

import typer
from rich.console import Console

from linkage.settings import Settings

console = Console()
err_console = Console(stderr=True)


@dataclass
class AppState:
    settings: Settings
    _store: Any = field(default=None, repr=False)
    read_only: bool = False

    def store(self, *, read_only: bool = False):
        if self._store is None:
            from linkage.store import open_store

            self._store = open_store(self.settings, read_only=read_only)
        return self._store

    def audit(self):
        from linkage.audit import AuditLog

        return AuditLog(self.settings.audit_file())

    def resolution_config(self):
        from linkage.resolve.config import ResolutionConfig

        return ResolutionConfig.load(self.settings.resolution_config)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    if obj is None:  # a command run without the root callback (tests calling a sub-app)
        obj = AppState(Settings())
        ctx.find_root().obj = obj
    return obj


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")

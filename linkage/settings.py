"""One settings object, read once at the edge (CLI, API) and passed down.

Environment prefix `LINKAGE_`; the Neo4j credentials also accept the conventional `NEO4J_*`
names used by docker-compose and the Neo4j tooling.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINKAGE_", extra="ignore")

    store: Path = Field(default=Path("./linkage-data"), description="embedded store path")
    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("LINKAGE_NEO4J_URI", "neo4j_uri"))
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "LINKAGE_NEO4J_USER", "neo4j_user"))
    neo4j_password: str = Field(default="", validation_alias=AliasChoices("NEO4J_PASSWORD", "LINKAGE_NEO4J_PASSWORD", "neo4j_password"))
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "LINKAGE_NEO4J_DATABASE", "neo4j_database"))

    # audit log (hash-chained, SQLite); defaults beside the embedded store
    audit_path: Path | None = None
    # resolution parameters override (TOML/JSON file)
    resolution_config: Path | None = None
    # exact postcode -> force table imported from ONSPD
    geo_path: Path | None = None
    # per-force delivery targets for dispatches
    delivery_config: Path | None = None
    # time of day the scanner runs (HH:MM, local)
    scan_at: str = "06:00"

    def audit_file(self) -> Path:
        return self.audit_path or (self.state_dir() / "audit.sqlite")

    def geo_file(self) -> Path:
        return self.geo_path or (self.state_dir() / "postcodes.sqlite")

    def state_dir(self) -> Path:
        """Files kept beside the graph (audit log, users, geo table)."""
        base = Path(str(self.store) + "-state") if not self.neo4j_uri else Path("./linkage-state")
        return base

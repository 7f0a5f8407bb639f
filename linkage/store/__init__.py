"""Graph store port and its adapters."""

from linkage.store.port import GraphStore  # noqa: F401


def open_store(settings, *, read_only: bool = False):
    """The store the settings name: Neo4j when a URI is configured, else the embedded store."""
    if settings.neo4j_uri:
        from linkage.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                          settings.neo4j_database)
    from linkage.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.store, read_only=read_only)

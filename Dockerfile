# The linkage API and scanner image (docker-compose.yml runs it as `api` and `scanner`).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY . /app

# Pinned dependencies (requirements.lock) and the project itself.
# linkage/store/queries.py finds the named Cypher at <dir above the linkage package>/cypher;
# `pip install .` puts the package in site-packages and cypher/ is not a Python package, so
# link it there (without it every store query is missing).
RUN pip install -c requirements.lock . \
 && ln -s /app/cypher "$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/cypher" \
 && cd / && python -c "from linkage.store.neo4j_store import schema_statements; from linkage.store.queries import query; query('store', 'meta_get', 'neo4j'); schema_statements()"

# Run as a non-root user. Its working directory holds the files kept beside the graph
# (audit log, users, geo table: ./linkage-state when LINKAGE_NEO4J_URI is set).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin linkage \
 && mkdir -p /var/lib/linkage \
 && chown linkage:linkage /var/lib/linkage
USER linkage
WORKDIR /var/lib/linkage

EXPOSE 8000
CMD ["linkage", "serve", "--host", "0.0.0.0", "--port", "8000"]

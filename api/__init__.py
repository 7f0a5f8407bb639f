"""The HTTP API (FastAPI, `/api/v1`): thin routers over the same functions the CLI calls.

`api.app.create_app(settings)` builds the app; `linkage serve` runs it on uvicorn.
`linkage/` never imports this package.
"""

"""`clonaguard serve`: the HTTP service (REST, CDS Hooks, FHIR), configured by CLONAGUARD_* variables."""

from __future__ import annotations

from typing import Annotated

import typer

from clonaguard.cli.common import fail


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on, 1 to 65535.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            envvar="CLONAGUARD_WORKERS",
            help="Server processes on one port and database, 1-64.",
            min=1,
            max=64,
        ),
    ] = 1,
) -> None:
    """Run the HTTP service (REST, CDS Hooks, FHIR) set by CLONAGUARD_* variables (see the configuration reference).

    [b]Example[/b]

      CLONAGUARD_DATABASE_URL=sqlite:///./var/clonaguard.db clonaguard serve --port 8000 --workers 2
    """
    import importlib.util

    import uvicorn
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from clonaguard.errors import ClonaguardError
    from clonaguard.service import Settings, app_from_environment

    try:
        settings = Settings()
        application = app_from_environment()  # fails fast on bad config, and migrates before any worker starts
    except (ValidationError, SettingsError) as exc:
        fail(f"configuration (CLONAGUARD_* variables): {exc}")
    except ClonaguardError as exc:
        fail(str(exc))
    uvicorn.run(
        application if workers == 1 else "clonaguard.service:app_from_environment",
        factory=workers > 1,  # each worker process builds its own app from the same variables
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        http="clonaguard.service.slowclients:EnvironmentBoundedProtocol",
        timeout_keep_alive=settings.keep_alive_seconds,
    )

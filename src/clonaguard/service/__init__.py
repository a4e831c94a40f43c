"""The HTTP service: REST API, CDS Hooks 2.0 and FHIR R4 on one FastAPI app, with an audit log in a database."""

from clonaguard.service.app import app_from_environment, create_app
from clonaguard.service.settings import Settings

__all__ = ["Settings", "app_from_environment", "create_app"]

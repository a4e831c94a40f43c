"""The `clonaguard` command line: the adapter that turns flags into domain calls and answers into text or JSON.

`app` is the Typer application and `main` the console script. One module a command (`check`, `parse`,
`label`, `serve`, `plan`, `simulate`), the terminal views under `render`; the domain packages hold none of it.
"""

from clonaguard.cli.app import app, main
from clonaguard.cli.common import fail

__all__ = ["app", "fail", "main"]

"""`python -m clonaguard` runs the command line."""

from clonaguard.cli import main

main()

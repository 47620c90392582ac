"""`python -m nhsx` runs the command line."""

from .cli import main

main()

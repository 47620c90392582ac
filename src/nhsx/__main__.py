"""`python -m nhsx` runs the command line."""

from nhsx.cli import main

main()

"""`python -m graphfraud.cli`: the same command group as the `graphfraud` script."""

from graphfraud.cli import main

main()

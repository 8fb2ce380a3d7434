"""The `graphfraud` command line: thin wrappers over the core, one command per job.

Every command needs an authenticated user (`graphfraud login`, or a token in
GRAPHFRAUD_TOKEN) whose role has the command's permission (`roles.COMMANDS`); a fresh
home runs nothing but `users add NAME --role admin` (the first admin) and `demo` (which
makes its own local demo users and says so). Each command writes one audit record
with its outcome, and its output leaves only after that record is written.
"""

from graphfraud.cli import (  # noqa: F401 - each module registers its commands
    accounts,
    case,
    data,
    detection,
    queries,
    servers,
    workbench,
)
from graphfraud.cli.group import main

main.add_command(case.case)  # case work's commands
main.add_command(case.alerts)

__all__ = ["main"]

# The two commands of the README. Both set up what they need on a fresh machine.
PY ?= python3

.PHONY: demo test install lint

install:
	$(PY) -m pip install -q -e '.[test]'

## demo: generate the small synthetic world, load it into the embedded graph, print counts
demo: install
	graphfraud demo

## test: every test, against the embedded graph and a real Neo4j started for the run
test: install
	$(PY) -c 'from graphfraud.servers.neo4j_local import install; install(quiet=False)'  # the pinned jars (a build step: no login, no data)
	$(PY) -m playwright --version >/dev/null
	$(PY) -m pytest -v -rs --durations=30

lint:
	ruff check .

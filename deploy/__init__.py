"""The pinned Maven projects (`neo4j/pom.xml`, `tck/pom.xml`), shipped as package data.

Installed as `graphfraud.deploy`; `graphfraud.servers` finds the poms through
`importlib.resources`, so `graphfraud neo4j install` works from an installed wheel too.
"""

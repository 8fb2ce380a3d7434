"""The named Cypher library's statements (`.cypher` files only), shipped as package data.

Installed as `graphfraud.cypher`; `graphfraud.store.library` finds the folder through
`importlib.resources`, so an installed wheel and an editable checkout read the same files.
"""

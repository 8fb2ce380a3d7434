"""Case work: cases in the graph, their notes, saved views and linked findings; what
changed since the last run; watchlists and alerts. Reached through the `Session`
(`graphfraud.cases.session`); the records and the workflow are in `model`."""

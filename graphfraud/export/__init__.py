"""Exporters: the graph written in other tools' formats (apart from the model and the
stores, like FollowTheMoney's exporters)."""

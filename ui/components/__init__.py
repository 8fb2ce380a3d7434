"""The workbench's own Streamlit components (static local frontends, nothing fetched)."""

"""Shown until someone signs in."""

from __future__ import annotations

import streamlit as st

st.header("GraphFraud")
st.info("Sign in in the sidebar to continue.")

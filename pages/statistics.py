"""Statistics: original against mosaic (filled in when the statistics module lands)."""

from __future__ import annotations

import streamlit as st

st.title("Statistics")
st.info("Statistics are being computed from the statistics module.")

"""Mosaic Studio: load, tune, eyeball, measure, export (``make run``)."""

from __future__ import annotations

import streamlit as st

from pages.studio.html import literal
from pages.studio.state import init_state

st.set_page_config(page_title="Mosaic Studio", page_icon=":material/extension:", layout="wide")
init_state()

navigation = st.navigation(
    [
        st.Page("pages/data.py", title="Data", icon=":material/folder_open:", default=True),
        st.Page("pages/settings.py", title="Mosaic settings", icon=":material/tune:"),
        st.Page("pages/preview.py", title="Preview", icon=":material/visibility:"),
        st.Page("pages/statistics.py", title="Statistics", icon=":material/bar_chart:"),
        st.Page("pages/compare.py", title="Compare recipes", icon=":material/compare_arrows:"),
        st.Page("pages/export.py", title="Export", icon=":material/download:"),
    ]
)
with st.sidebar:
    st.caption(f"Dataset: {literal(st.session_state.source_label)}")
    st.caption(f"{len(st.session_state.loaded.records):,} records")
navigation.run()

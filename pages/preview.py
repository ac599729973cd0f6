"""Preview: example mosaics, coloured by source, with their plan and the verifier's verdict."""

from __future__ import annotations

import streamlit as st

from mosaic_core import BUILTIN_LANGUAGES, RULES, STRATEGIES, MosaicError
from pages.studio.cache import preview_window
from pages.studio.html import literal, pair_html, piece_legend, show_error
from pages.studio.state import config, require_valid_settings, set_config, through_the_app

through_the_app()  # a first request for this page's address after a restart: through app.py

st.title("Preview")
require_valid_settings()
state = st.session_state
current = config()

controls = st.columns([1, 1, 1, 2])
state.preview_start = int(
    controls[0].number_input("Jump to mosaic #", 0, 10_000_000, int(state.preview_start), key="jump")
)
count = int(controls[1].number_input("How many", 1, 50, 10, key="how_many"))
if controls[2].button(
    "Re-roll", icon=":material/casino:", help="Draw new mosaics: the seed goes up by one (the export follows it)."
):
    set_config(type(current).from_recipe(current.to_recipe(), seed=current.seed + 1))
    state.preview_start = 0
    st.rerun()
controls[3].caption(f"Seed {config().seed}. Mosaic #i here is mosaic #i of the export.")
filters = st.columns(3)
want_strategies = filters[0].multiselect("Strategies", [*STRATEGIES], placeholder="all strategies")
want_rules = filters[1].multiselect("Rules", list(RULES), placeholder="all rules")
want_languages = filters[2].multiselect("Languages", list(BUILTIN_LANGUAGES), placeholder="all languages")
filtering = bool(want_strategies or want_rules or want_languages)

try:
    window = preview_window(
        state.fingerprint,
        config().to_json(),
        int(state.preview_start),
        200 if filtering else count,
        state.loaded,
    )
except MosaicError as exc:
    show_error(exc)
    st.stop()
shown = [
    m
    for m in window
    if (not want_strategies or m["plan"]["strategy"] in want_strategies)
    and (not want_rules or m["plan"]["rule"] in want_rules)
    and (not want_languages or m["plan"].get("language") in want_languages)
][:count]
if not shown:
    if filtering:
        st.info("No mosaic here matches the filters; clear them or jump further.")
    else:
        st.info(
            f"There is no mosaic #{state.preview_start:,}: this run has fewer mosaics. Jump back to an earlier one."
        )
accepted, rejected = state.accepted, state.rejected
st.caption(
    f"Curation of this recipe and seed: {len(accepted)} accepted, {len(rejected)} rejected. Rejected mosaics are "
    "left out of the export; it can also keep only the accepted ones."
)
others = {key: marks for key, marks in state.marks.items() if key != current.to_json() and (marks[0] or marks[1])}
if others:
    with st.expander(f"Marks kept for {len(others)} other recipe(s) or seed(s)"):
        for number, (key, (yes, no)) in enumerate(others.items()):
            other = type(current).from_json(key)
            line, go = st.columns([4, 1])
            line.caption(
                f"seed {other.seed}, max k {other.max_k}, {other.k_mode}: {len(yes)} accepted, {len(no)} rejected"
            )
            if go.button("Go back to it", key=f"marks_{number}"):
                set_config(other)
                st.rerun()
piece_legend()
for mosaic in shown:
    plan = mosaic["plan"]
    position = mosaic["position"]
    with st.container(border=True):
        text_col, plan_col = st.columns([4, 1])
        with text_col:
            st.markdown(
                f"**Mosaic #{position}** · {plan['strategy']}"
                + (f" · `{plan['rule']}`" if plan["rule"] else "")
                + f" · meta-instructions in `{plan.get('language', 'en')}`"
            )
            st.html(pair_html(mosaic["prompt_pieces"], mosaic["answer_pieces"]))
        with plan_col:  # few elements per mosaic: a page of ten draws in the browser in well under a second
            if mosaic["ok"]:
                st.success("verified", icon=":material/check_circle:")
            else:
                st.error(literal("fails: " + "; ".join(mosaic["problems"])))
            status = "accepted" if position in accepted else "rejected" if position in rejected else "undecided"
            lines = [
                f"**{len(plan['source_ids'])}** items (k)",
                f"**{plan['prompt_tokens'] + plan['answer_tokens']:,}** tokens (prompt + answer)",
            ]
            if plan["masked"]:
                lines.append("ignored: " + ", ".join(str(p + 1) for p in plan["masked"]))
            if plan["rule"] and plan["rule"].startswith("permute"):
                lines.append("answer order: " + ", ".join(str(p + 1) for p in plan["order"]))
            lines.append(f"curation: {status}")
            st.markdown("  \n".join(lines))
            with st.popover("plan", width="stretch", key=f"plan_{position}"):
                st.json(plan, expanded=True)  # drawn only when opened
            a, r = st.columns(2)
            if a.button("Accept", key=f"accept_{position}"):
                accepted.add(position)
                rejected.discard(position)
                st.rerun()
            if r.button("Reject", key=f"reject_{position}"):
                rejected.add(position)
                accepted.discard(position)
                st.rerun()

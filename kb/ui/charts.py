"""Plotly figures for the app. Every data string is HTML-escaped before plotly sees it."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from kb import views, vocab

KIND_SYMBOL = {"article": "square", "claim": "circle", "reference": "diamond",
               "finding": "triangle-up", "condition": "star"}  # colours: vocab.NODE_KIND_COLOUR


SIZE_LEGEND = (1, 5, 10)  # findings per cell shown in the bubble-size legend (10: 10 or more)


def _bubble(n_findings: pd.Series | int) -> pd.Series | int:
    """A bubble's diameter for a number of findings (capped at 10)."""
    return 14 + 6 * (n_findings.clip(upper=10) if isinstance(n_findings, pd.Series)
                     else min(n_findings, 10))


def evidence_map(frame: pd.DataFrame) -> go.Figure:
    """Condition x time window bubbles: colour is best certainty (the one palette), size the
    number of findings, with a legend for both; each point carries its condition and window
    so a click can list the findings behind it."""
    fig = go.Figure()
    labels = views.plot_escape(frame["label"])
    windows = frame["time_window"].map(vocab.TIME_WINDOW_LABEL).fillna(frame["time_window"])
    order = [*vocab.Certainty.display_order(), vocab.NONE_SUPPORTING]
    for certainty in [c for c in order if c in set(frame["best_certainty"])]:
        rows = frame["best_certainty"] == certainty
        part = frame[rows]
        name = html.escape(certainty)
        fig.add_trace(go.Scatter(
            x=windows[rows], y=labels[rows], mode="markers", name=name,
            legendgroup="certainty", legendgrouptitle_text="Best certainty",
            marker={"size": _bubble(part["n_findings"]),
                    "color": vocab.Certainty.colour(certainty), "line": {"width": 1}},
            customdata=part.assign(basis=views.plot_escape(
                part["certainty_basis"].map(vocab.CERTAINTY_BASIS_LABEL).fillna("")))[
                ["n_findings", "n_supporting", "basis", "condition_id", "time_window"]
            ].to_numpy(),
            hovertemplate="%{y} · %{x}<br>findings: %{customdata[0]}"
                          "<br>supporting: %{customdata[1]}<br>basis: %{customdata[2]}"
                          "<br>click to list the findings<extra>" + name + "</extra>",
        ))
    for n in SIZE_LEGEND:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", hoverinfo="skip",
            name=f"{n}{'+' if n == SIZE_LEGEND[-1] else ''} finding{'s' if n > 1 else ''}",
            legendgroup="size", legendgrouptitle_text="Bubble size",
            marker={"size": _bubble(n), "color": "rgba(0,0,0,0)",
                    "line": {"width": 1, "color": "#555555"}}))
    fig.update_xaxes(categoryorder="array", title="time window",
                     categoryarray=[vocab.TIME_WINDOW_LABEL[w] for w in views.BENEFIT])
    fig.update_yaxes(title="", autorange="reversed")
    fig.update_layout(height=160 + 36 * max(1, frame["label"].nunique()),
                      margin={"l": 10, "r": 10, "t": 10}, clickmode="event+select")
    return fig


def forest(rows: pd.DataFrame) -> go.Figure:
    """One effect measure's estimates with 95% CIs (kb.summary.forest_rows), coloured by
    certainty (the one palette); the hover gives the effect, both CI bounds, its size in words
    and the certainty with its basis."""
    measure = str(rows["measure"].iloc[0])
    labels = views.plot_escape(rows["label"])
    esc = views.plot_escape
    hover = (esc(rows["effect"].str.replace(" (", " (95% CI ", regex=False)) + "<br>"
             + esc(rows["effect_words"]) + "<br>Certainty: "
             + esc(rows["certainty"] + " (" + rows["basis"] + ")"))
    fig = go.Figure(go.Scatter(
        x=rows["num_effect"], y=labels, mode="markers", customdata=hover,
        marker={"size": 12, "symbol": "square", "line": {"width": 1, "color": "#333333"},
                "color": [vocab.Certainty.colour(c) for c in rows["level"]]},
        error_x={"type": "data", "symmetric": False, "color": "#333333",
                 "array": rows["num_ci_high"] - rows["num_effect"],
                 "arrayminus": rows["num_effect"] - rows["num_ci_low"]},
        hovertemplate="%{y}<br>%{customdata}<extra></extra>", showlegend=False,
    ))
    fig.add_vline(x=0, line_dash="dash", line_color="gray")
    words = html.escape(vocab.EFFECT_MEASURE_LABEL.get(measure, measure))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(height=110 + 34 * len(rows), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      xaxis_title=f"{html.escape(measure)}: {words}, 95% CI (0 = no difference)")
    return fig


CROWDED = 30  # nodes past which claims and findings are named on hover only
HOVER_ONLY = frozenset({"claim", "finding"})


def _node_size(degree: pd.Series) -> pd.Series:
    """A marker's diameter from the node's number of links (square root, 10 to 40 px)."""
    return (10 + 4 * degree.clip(lower=0) ** 0.5).clip(upper=40)


def network(nodes: pd.DataFrame, edges: pd.DataFrame, focus: str = "") -> go.Figure:
    """The citation graph: edges as thin lines, nodes labelled (`name`), coloured and shaped by
    kind with the kinds in words in the legend, sized by `degree`; the focus node ringed and
    named in bold. Past CROWDED nodes, claims and findings are named on hover only. Labels
    arrive escaped (views.graph_frames)."""
    xs = edges[["source_x", "target_x"]].assign(gap=None).to_numpy().ravel().tolist()
    ys = edges[["source_y", "target_y"]].assign(gap=None).to_numpy().ravel().tolist()
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                               line={"width": 0.6, "color": "#b0b0b0"}))
    crowded = len(nodes) > CROWDED
    for kind, symbol in KIND_SYMBOL.items():
        part = nodes[(nodes["kind"] == kind) & (nodes["node"] != focus)]
        if part.empty:
            continue
        named = not crowded or kind not in HOVER_ONLY
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["y"], mode="markers+text" if named else "markers",
            text=part["name"] if named else None,
            name=html.escape(vocab.NODE_KIND_LABEL.get(kind, kind)),
            textposition="top center", textfont={"size": 10, "color": "#333333"},
            customdata=part[["node", "label", "degree"]].to_numpy(),
            hovertemplate="%{customdata[1]}<br>%{customdata[2]} links<extra></extra>",
            marker={"size": _node_size(part["degree"]).tolist(), "symbol": symbol,
                    "color": vocab.NODE_KIND_COLOUR[kind], "line": {"width": 0.5}},
        ))
    centre = nodes[nodes["node"] == focus]
    if not centre.empty:
        kind = str(centre["kind"].iloc[0])
        fig.add_trace(go.Scatter(
            x=centre["x"], y=centre["y"], mode="markers+text", name="Focus",
            text="<b>" + centre["name"] + "</b>", textposition="bottom center",
            textfont={"size": 13, "color": vocab.FOCUS_COLOUR},
            customdata=centre[["node", "label", "degree"]].to_numpy(),
            hovertemplate="%{customdata[1]}<br>%{customdata[2]} links<extra></extra>",
            marker={"size": (_node_size(centre["degree"]) + 8).tolist(),
                    "symbol": KIND_SYMBOL.get(kind, "circle"),
                    "color": vocab.NODE_KIND_COLOUR.get(kind, vocab.NO_LEVEL_COLOUR),
                    "line": {"width": 4, "color": vocab.FOCUS_COLOUR}},
        ))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=640, margin={"l": 0, "r": 0, "t": 10, "b": 0},
                      legend={"title": {"text": "Node kind"}, "orientation": "h",
                              "yanchor": "bottom", "y": 1.0, "x": 0},
                      clickmode="event+select")
    return fig

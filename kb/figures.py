"""Static figures (PNG, SVG) for decks and downloads, drawn with matplotlib."""

from __future__ import annotations

import io

import pandas as pd

from kb import vocab
from kb.vocab import NO_LEVEL_COLOUR, NONE_SUPPORTING

WINDOWS = [str(w) for w in vocab.BENEFIT_WINDOWS]
FORMATS = ("png", "svg")


def _marker_area(n: pd.Series) -> pd.Series:
    return 80 + 70 * n.clip(upper=12)


def evidence_map_figure(map_frame: pd.DataFrame, fmt: str = "png", title: str = "") -> bytes:
    """Conditions x time windows; colour = best supporting certainty, size = findings.

    `map_frame` is kb.cube.evidence_map output. Cells where no finding supports dry
    needling are open grey circles, so the map does not rely on colour alone.
    """
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}; choose from {', '.join(FORMATS)}")
    labels = map_frame.drop_duplicates("condition_id").sort_values("label")["label"].tolist()
    windows = WINDOWS + sorted(set(map_frame["time_window"]) - set(WINDOWS))
    fig = Figure(figsize=(9, max(4.2, 1.6 + 0.5 * len(labels))), dpi=150, layout="constrained")
    ax = fig.add_subplot()
    if map_frame.empty:
        ax.text(0.5, 0.5, "No graded condition matches", ha="center", va="center")
        ax.set_axis_off()
    else:
        x = map_frame["time_window"].map({w: i for i, w in enumerate(windows)})
        y = map_frame["label"].map({lab: i for i, lab in enumerate(labels)})
        graded = map_frame["level"].notna() & (map_frame["best_certainty"] != NONE_SUPPORTING)
        colours = map_frame["best_certainty"][graded].map(vocab.Certainty.colour)
        ax.scatter(x[graded], y[graded], s=_marker_area(map_frame["n_findings"][graded]),
                   c=colours.tolist(),
                   edgecolors="#333333", linewidths=0.8, zorder=3)
        ax.scatter(x[~graded], y[~graded], s=_marker_area(map_frame["n_findings"][~graded]),
                   facecolors="none", edgecolors=NO_LEVEL_COLOUR, linewidths=1.8, zorder=3)
        ax.set_xticks(range(len(windows)), windows)
        ax.set_yticks(range(len(labels)), labels)
        ax.set_xlim(-0.6, len(windows) - 0.4)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.grid(True, color="#eeeeee", zorder=0)
        ax.set_xlabel("Time window")
        shown = {c.label for c in vocab.Certainty} | set(map_frame["best_certainty"])
        handles = [Line2D([], [], marker="o", linestyle="", markersize=10, markeredgecolor="#333",
                          markerfacecolor=vocab.Certainty.colour(label), label=label)
                   for label in vocab.Certainty.display_order() if label in shown]
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=10,
                              markerfacecolor="none", markeredgecolor=NO_LEVEL_COLOUR,
                              markeredgewidth=1.8, label=NONE_SUPPORTING))
        handles += [Line2D([], [], marker="o", linestyle="", color="#999999",
                           markersize=float(_marker_area(pd.Series([n])).iloc[0]) ** 0.5,
                           label=f"{n} finding{'s' if n > 1 else ''}") for n in (1, 4, 12)]
        ax.legend(handles=handles, title="Best certainty (basis: see the table)", loc="upper left",
                  bbox_to_anchor=(1.02, 1), frameon=False, labelspacing=1.1)
    if title:
        ax.set_title(title)
    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "kb"}):
        fig.savefig(buffer, format=fmt, bbox_inches="tight",
                    metadata={"Date": None} if fmt == "svg" else {})
    return buffer.getvalue()

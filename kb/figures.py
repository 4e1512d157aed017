"""Static figures (PNG, SVG) for decks and downloads, drawn with matplotlib."""

from __future__ import annotations

import io
import textwrap

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
        ax.set_xticks(range(len(windows)), [vocab.TIME_WINDOW_LABEL.get(w, w) for w in windows])
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


def forest_figure(rows: pd.DataFrame, fmt: str = "png", width_in: float = 4.8,
                  height_in: float = 3.9) -> bytes:
    """Forest plot of kb.summary.forest_rows: one panel per effect measure (they are on
    different scales), each estimate a square coloured by its certainty (the one palette)
    with its 95% CI; a dashed line at no difference."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}; choose from {', '.join(FORMATS)}")
    groups = list(rows.groupby("measure", sort=True)) or [("", rows)]
    fig = Figure(figsize=(width_in, height_in), dpi=200, layout="constrained")
    axes = fig.subplots(len(groups), 1, squeeze=False,
                        height_ratios=[max(1, len(g)) + 1.2 for _, g in groups])[:, 0]
    for ax, (measure, part) in zip(axes, groups, strict=True):
        y = list(range(len(part)))
        ax.hlines(y, part["num_ci_low"], part["num_ci_high"], color="#333333", linewidth=1.2)
        ax.scatter(part["num_effect"], y, marker="s", s=42, zorder=3, edgecolors="#333333",
                   linewidths=0.6, c=[vocab.Certainty.colour(c) for c in part["level"]])
        ax.axvline(0, color="#777777", linestyle="--", linewidth=0.8)
        ax.set_yticks(y, [_wrapped(label) for label in part["label"]], fontsize=8)
        ax.set_ylim(len(part) - 0.4, -0.6)
        ax.tick_params(axis="x", labelsize=7.5)
        words = vocab.EFFECT_MEASURE_LABEL.get(measure, measure)
        ax.set_xlabel(f"{measure}: {words}\n(95% CI)", fontsize=7.5)
        ax.grid(True, axis="x", color="#eeeeee")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "kb"}):
        fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else {})
    return buffer.getvalue()


def _wrapped(label: str, width: int = 24) -> str:
    """A tick label on at most two lines, shortened with an ellipsis beyond that."""
    return "\n".join(textwrap.wrap(textwrap.shorten(label, 2 * width, placeholder="…"), width))

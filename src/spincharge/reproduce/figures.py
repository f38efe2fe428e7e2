"""Figure helpers shared by the reproduce sections: a legend that explains every line and marker style."""

from __future__ import annotations

from matplotlib.lines import Line2D


def legend_with_styles(ax, styles, **kwargs):
    """Legend of the labelled lines plus one grey entry per style in ``styles``.

    ``styles``: (matplotlib format string such as ``"o"``, ``"x"``, ``"--"``, label) pairs for the marker
    and line styles that are drawn in several colours (one entry each, rather than one per colour).
    """
    handles, labels = ax.get_legend_handles_labels()
    for fmt, label in styles:
        marker = next((c for c in fmt if c in "osx^v*+.d"), "")
        linestyle = fmt.replace(marker, "") or "none"
        handles.append(Line2D([], [], color="0.35", marker=marker or None, linestyle=linestyle, mfc="none", ms=4))
        labels.append(label)
    return ax.legend(handles, labels, **{"fontsize": 7, **kwargs})

"""The report's figures are labelled: axis labels on every panel, a label on every colour bar, a legend
wherever a panel draws more than one line (checked on the quick run of two fast sections)."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from spincharge.reproduce import PAPERS, ReproduceContext, discover  # noqa: E402
from spincharge.reproduce import paper003_diffusion, paper003_symmetry  # noqa: E402


def unlabelled(fig, name):
    """What a referee would flag: panels without axis labels, colour bars without a label, several lines
    without a legend."""
    problems = []
    for ax in fig.axes:
        if hasattr(ax, "_colorbar"):
            if not (ax.get_ylabel() or ax.get_xlabel()):
                problems.append(f"{name}: colour bar without a label")
            continue
        # a twin or a shared axis may leave its x label to a sibling
        siblings = ax.get_shared_x_axes().get_siblings(ax)
        if not any(a.get_xlabel() for a in siblings):
            problems.append(f"{name}: panel {ax.get_title()!r} without an x label")
        if not ax.get_ylabel():
            problems.append(f"{name}: panel {ax.get_title()!r} without a y label")
        if len(ax.get_lines()) > 1 and ax.get_legend() is None and not fig.legends:
            problems.append(f"{name}: panel {ax.get_title()!r} draws {len(ax.get_lines())} lines without a legend")
    return problems


class _Checking(ReproduceContext):
    problems: list

    def save_figure(self, fig, name, caption):
        self.problems.extend(unlabelled(fig, name))
        return super().save_figure(fig, name, caption)


@pytest.mark.parametrize("module", [paper003_diffusion, paper003_symmetry], ids=lambda m: m.__name__.split(".")[-1])
def test_report_figures_are_labelled(module, tmp_path):
    ctx = _Checking(out_dir=tmp_path, quick=True, log=lambda _: None)
    ctx.problems = []
    section = module.reproduce(ctx)
    assert section.figures and ctx.problems == []


@pytest.mark.slow
@pytest.mark.parametrize("module", [m for p in PAPERS for m in discover(p)], ids=lambda m: m.__name__.split(".")[-1])
def test_every_report_figure_is_labelled(module, tmp_path):
    test_report_figures_are_labelled(module, tmp_path)


def test_the_check_flags_a_bare_figure():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.plot([0, 1], [1, 0])
    fig.colorbar(ax.imshow([[0, 1]]), ax=ax)
    assert len(unlabelled(fig, "bare")) == 4  # x label, y label, legend, colour bar
    plt.close(fig)

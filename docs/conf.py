"""Sphinx configuration of the spincharge documentation.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` (see README, "Documentation").
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Document (and run the examples against) the source tree being built, not whichever copy is installed.
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("MPLBACKEND", "Agg")

import spincharge  # noqa: E402

project = "spincharge"
author = "spincharge developers"
copyright = "spincharge developers"
release = version = spincharge.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "examples"]
templates_path = ["_templates"]

# API reference: one page per public object, generated from the docstrings.
autosummary_generate = True
autosummary_imported_members = True
autosummary_ignore_module_all = False  # a module's __all__ is its public API
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "examples_gallery",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "within_subsection_order": "FileNameSortKey",
    "write_computation_times": False,
}

html_theme = "pydata_sphinx_theme"
html_title = f"spincharge {release}"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
html_show_sourcelink = False


# Docstrings are written to read well in ``help()``: ``|x|`` there means an absolute value or a norm,
# which reStructuredText would take for a substitution reference. Escape bars outside inline literals,
# roles (``:math:`|x|``` stays LaTeX), literal blocks and doctests, after numpydoc has run.
_INLINE_LITERAL = re.compile(r"(``.+?``|(?::[\w.:+-]+:)?`[^`]*`_{0,2})")


def _indent(line):
    return len(line) - len(line.lstrip())


def escape_bars(app, what, name, obj, options, lines):
    literal_indent = None  # indentation of the paragraph that opened a literal block
    doctest = False
    for i, line in enumerate(lines):
        if not line.strip():
            doctest = False
            continue
        if literal_indent is not None:
            if _indent(line) > literal_indent:
                continue
            literal_indent = None
        if doctest or line.lstrip().startswith(">>>"):
            doctest = True
            continue
        if "|" in line:
            parts = _INLINE_LITERAL.split(line)
            lines[i] = "".join(p if k % 2 else p.replace("|", r"\|") for k, p in enumerate(parts))
        if line.rstrip().endswith("::"):
            literal_indent = _indent(line)


def skip_foreign(app, what, name, obj, skip, options):
    # A module without __all__ (spincharge.results) would otherwise list what it imports (typing.Any).
    module = getattr(obj, "__module__", None)
    if isinstance(obj, type) and module and not module.startswith("spincharge"):
        return True
    return None


def setup(app):
    app.connect("autodoc-process-docstring", escape_bars, priority=900)
    app.connect("autodoc-skip-member", skip_foreign)

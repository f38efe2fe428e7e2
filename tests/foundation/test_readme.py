"""The README's Python examples run as printed (in a scratch directory, so the store lands there)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_python_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    assert namespace["K"].matrix.shape == (3, 3)
    assert namespace["ds"].chi.dims == ("delta",)
    assert (tmp_path / "spincharge-results").is_dir()

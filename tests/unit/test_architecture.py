"""The house rules that hold the areas together: the layer contract, template globals with one
owner, and extension points that refuse an answer given twice."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from forum.config import PROJECT_ROOT
from forum.events import Contributions
from forum.web import register_template_globals

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_the_layer_contract():
    result = _lint_imports(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def _copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(
        PROJECT_ROOT / "forum",
        tmp_path / "forum",
        ignore=shutil.ignore_patterns("__pycache__", "translations"),
    )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / "forum"


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path):
    core_models = _copy_of_the_package(tmp_path) / "core" / "models.py"
    core_models.write_text(core_models.read_text() + "\nfrom forum.search import models  # noqa\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "forum.core is not allowed to import forum.search" in result.stdout


def test_a_module_outside_every_layer_breaks_the_contract(tmp_path):
    (_copy_of_the_package(tmp_path) / "newarea.py").write_text('"""Not placed in a layer."""\n')
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "forum.newarea" in result.stdout


def test_a_template_global_has_one_owner():
    app = Flask(__name__)
    register_template_globals(app, "first", {"label": str})
    with pytest.raises(RuntimeError, match="'label' is registered by first and again by second"):
        register_template_globals(app, "second", {"label": repr})
    with pytest.raises(RuntimeError, match="hides one of Jinja's own"):
        register_template_globals(app, "third", {"range": list})
    assert app.jinja_env.globals["label"] is str


def test_contributions_merge_answers_and_refuse_a_key_given_twice():
    point = Contributions("page")
    point.provide(lambda *, item: {"a": item})
    point.provide(lambda *, item: {"b": item * 2})
    assert point.collect(item=2) == {"a": 2, "b": 4}
    point.provide(lambda *, item: {"a": 0})
    with pytest.raises(RuntimeError, match=r"page: \['a'\] given by two providers"):
        point.collect(item=1)

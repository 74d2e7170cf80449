"""The shipped criteria set is data: the file is checked, and a bad entry names itself."""

import tomllib
from pathlib import Path

import pytest

from lagspill.plans import criteria
from lagspill.plans.models import CORE_LEVELS


def test_the_shipped_set_covers_every_core_level_with_three_criteria() -> None:
    data = criteria.read()
    for level in CORE_LEVELS:
        assert sum(level in c["levels"] for c in data["criterion"]) >= 3, level


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["scale"].update(nb=["a", "b", "c"]), "needs one meaning for each score"),
        (lambda c: c.update(levels=["kommunedelplan"]), "unknown or empty"),
        (lambda c: c["text"].pop("nn"), "needs exactly nb, nn and en"),
        (lambda c: c.update(weight=0), "must be above 0"),
    ],
)
def test_a_bad_criterion_is_refused_by_name(tmp_path: Path, change: object, message: str) -> None:
    data = tomllib.loads(criteria.PATH.read_text(encoding="utf-8"))
    change(data["criterion"][0])  # type: ignore[operator]
    path = tmp_path / "criteria.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    with pytest.raises(criteria.CriteriaError, match=message) as error:
        criteria.read(path)
    assert data["criterion"][0]["code"] in str(error.value)


def to_toml(data: dict) -> str:
    """Just enough TOML writing for this file's shape (strings, numbers, lists, one level of tables)."""
    import json

    lines = [f"slug = {json.dumps(data['slug'])}", f"version = {data['version']}", "[name]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in data["name"].items()]
    for c in data["criterion"]:
        lines += [
            "[[criterion]]",
            f"code = {json.dumps(c['code'])}",
            f"levels = {json.dumps(c['levels'])}",
            f"weight = {c['weight']}",
        ]
        for table in ("text", "guidance", "scale"):
            lines.append(f"[criterion.{table}]")
            lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in c[table].items()]
    return "\n".join(lines) + "\n"

"""A layout zoo's segmentation against its gold, for the floor tests of tests/test_zoo.py and
tests/test_zoos.py: ingest the folder, run `finsam eval-segmentation`, check the floor."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from search_app.cli import cli


def assert_above_floor(
    zoo: Path, tmp_path: Path, floor: dict[str, float], max_stray: int, n_documents: int
) -> None:
    env = {"FINSAM_MODEL": "hash", "FINSAM_DB": str(tmp_path / "zoo.db")}
    runner = CliRunner()
    ingested = runner.invoke(cli, ["ingest", str(zoo), "--no-index"], env=env)
    assert ingested.exit_code == 0, ingested.output
    result = runner.invoke(cli, ["eval-segmentation", str(zoo / "gold.json"), "--json"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["not_evaluated"] == []
    assert len(report["documents"]) == n_documents
    overall = report["overall"]
    for metric, least in floor.items():
        assert overall[metric] >= least, (metric, overall[metric], least)
    assert overall["stray_items"] <= max_stray, overall["stray"]

"""The README's configuration table is the list of settings pgwf reads."""

from __future__ import annotations

import re
from pathlib import Path

from pgwf import config

ROOT = Path(__file__).resolve().parents[2]


def test_readme_configuration_table_matches_the_settings() -> None:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z_<>]+)` \| (`[^`]*`|—) \| (.+) \|$", section, re.MULTILINE)
    documented = {name: (default.strip("`") if default != "—" else "") for name, default, _ in rows}
    documented.pop("PGWF_CONNECTION_<NAME>_<FIELD>")
    assert documented == {s.name: s.default for s in config.SETTINGS}


def test_every_doc_the_readme_links_to_exists() -> None:
    text = (ROOT / "README.md").read_text()
    for link in re.findall(r"\]\((docs/[^)]+)\)", text):
        path, _, anchor = link.partition("#")
        assert (ROOT / path).exists(), link
        if anchor:  # a heading of that page, as GitHub makes its anchor
            headings = re.findall(r"^#+ (.+)$", (ROOT / path).read_text(), re.MULTILINE)
            slugs = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in headings}
            assert anchor in slugs, link


def test_the_api_maps_every_sqlstate_of_errors_md_to_its_documented_status() -> None:
    from pgwf.api.errors import status_for

    text = (ROOT / "docs" / "errors.md").read_text()
    rows = re.findall(r"^\| `([0-9A-Z]{5})` \| (\d{3}) \|", text, re.MULTILINE)
    assert len(rows) >= 10
    for sqlstate, status in rows:
        assert status_for(sqlstate) == int(status), sqlstate

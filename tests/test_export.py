"""CSV exports are safe to open in a spreadsheet; JSON and Parquet keep the text as written."""

import csv
import io
import json
import subprocess
import sys

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from app import query
from app.export import BOM, FORMULA_CHARS, inert, restore
from app.schema import from_records
from app.store import read_events, write_events, write_stream

DANGEROUS = ["=1+2", "+33", "-2 degrees", "@SUM(1+1)", "\tcmd", "\rcmd", "=cmd|' /C calc'!A0",
             '=HYPERLINK("http://x","click")', " =1+1", "\n=1+1", "'=1+1", "''+1", "\uff1d1+1"]


def unguarded(cell: str) -> bool:
    """True if a spreadsheet could read this cell as a formula (a number such as the -1 of
    an unknown offset is a number, not a formula)."""
    try:
        float(cell)
        return False
    except ValueError:
        return cell.lstrip(" \n")[:1] in set(FORMULA_CHARS)


def spreadsheet_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))


def test_formula_cells_get_one_leading_apostrophe_and_plain_text_is_untouched():
    assert inert("=1+2") == "'=1+2"
    assert inert("\t=1") == "'\t=1"
    assert inert("'=1") == "''=1"  # already looks guarded: guarded again, so restore is exact
    for plain in ("Lachin", "1,235 refugees", "S-300", "'Tis", "a=b", "", "2020-11-10"):
        assert inert(plain) == plain
    for cell in DANGEROUS:
        assert not unguarded(inert(cell)) and inert(cell).startswith("'")


@given(st.text(alphabet=st.sampled_from(list(FORMULA_CHARS + "' \nab1,;\"")), max_size=12))
def test_guarding_is_exactly_reversible_and_never_leaves_a_formula(cell):
    assert restore(inert(cell)) == cell
    assert not unguarded(inert(cell))


def actor(cell: str) -> str:
    return cell.replace("|", " ")  # the CSV list separator is not a name's character


def hostile_events() -> pd.DataFrame:
    start = pd.Timestamp("2020-10-12T08:00")
    records = [{"event_id": f"e{i}", "kind": "report", "start": start,
                "end": start + pd.Timedelta(minutes=1), "precision": "minute",
                "title": cell, "source": cell, "text": cell + " excerpt", "evidence": cell,
                "actors": [actor(cell), "Aliyev"], "places": [actor(cell)], "doc": "hostile.txt"}
               for i, cell in enumerate(DANGEROUS)]
    return from_records(records)


def test_the_explorers_csv_has_no_live_formula_and_json_keeps_the_text():
    events = hostile_events()
    rows = spreadsheet_rows(query.to_csv(events))
    assert len(rows) == len(DANGEROUS)
    for row in rows:
        assert not any(unguarded(v) for v in row.values()), row
    assert {r["title"] for r in rows} == {inert(c) for c in DANGEROUS}
    records = json.loads(query.to_json(events))
    assert [r["title"] for r in records] == DANGEROUS
    assert records[6]["actors"] == ["=cmd ' /C calc'!A0", "Aliyev"]


def test_a_csv_event_table_reads_back_to_the_text_as_written(tmp_path):
    events = hostile_events()
    for name, write in (("one.csv", write_events),
                        ("stream.csv", lambda df, p: write_stream([df[:4], df[4:]], p))):
        path = tmp_path / name
        write(events, path)
        raw = path.read_text(encoding="utf-8")
        assert raw.startswith(BOM) and raw.count(BOM) == 1  # one mark, even when streamed
        for row in spreadsheet_rows(raw):
            assert not any(unguarded(v) for v in row.values()), row
        back = read_events(path)
        assert list(back["title"]) == DANGEROUS
        assert list(back["source"]) == DANGEROUS
        assert [list(a) for a in back["actors"]] == [[actor(c), "Aliyev"] for c in DANGEROUS]


def test_timeline_parse_to_csv_neutralises_headline_source_and_excerpt(tmp_path, fixture_path):
    doc = fixture_path("formula_cells.txt")
    csv_out, json_out = tmp_path / "e.csv", tmp_path / "e.json"
    for out in (csv_out, json_out):
        run = subprocess.run([sys.executable, "-m", "app", "parse", doc, "--out", out],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
    with open(csv_out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    reports = [r for r in rows if r["kind"] == "report"]
    assert len(reports) == 4
    for row in rows:
        assert not any(unguarded(v) for v in row.values()), row
    assert {r["source"] for r in reports} == {"'=cmd|' /C calc'!A0", "'+Wire", "'-Agency",
                                              "'@Desk"}
    assert any(r["title"].startswith("'=HYPERLINK(") for r in reports)
    assert {r["text"][:2] for r in reports} == {"'=", "'+", "'-", "'@"}
    # the raw text stays available, unchanged, in JSON
    records = json.loads(json_out.read_text(encoding="utf-8"))
    assert {r["source"] for r in records if r["kind"] == "report"} == {
        "=cmd|' /C calc'!A0", "+Wire", "-Agency", "@Desk"}


def test_export_names_say_what_was_exported():
    events = query.prepare(hostile_events())
    f = query.Filters(facets={"language": ("de", "fr")}, text="Lachin road",
                      start=pd.Timestamp("2020-09-27"), end=pd.Timestamp("2020-11-10T12:00"))
    assert query.export_name(events[:3], f, "csv") == (
        "chronology_2020-09-27_2020-11-10_language-de+fr_q-Lachin-road_3-events.csv")
    # no window: the dates the selection covers; nothing from the text can make a path
    name = query.export_name(events, query.Filters(text="../../etc/passwd"), "json")
    assert name == f"chronology_2020-10-12_2020-10-12_q-..-..-etc-passwd_{len(events)}-events.json"
    assert "/" not in name

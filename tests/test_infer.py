"""Corpus-level inference: dates of undated entries, background flags."""

from datetime import datetime

import pandas as pd

from app.infer import CorpusSummary, Pending, flag_background, infer_date, names
from app.ingest.base import Document, Entry
from app.schema import from_records


def pending(partials=(), explicit=()):
    entry = Entry("article", 0, 10, "A title", "Some text", None, precision="")
    return Pending(Document("d.txt", "A title\nSome text"), entry, "en",
                   partials=list(partials), explicit=list(explicit))


def dated(*rows):
    summary = CorpusSummary()
    summary.add([{"kind": "report", "start": pd.Timestamp(s), "end": pd.Timestamp(s),
                  "precision": "day", "title": t, "text": x} for s, t, x in rows])
    return summary


def test_names_are_capitalised_words_lowercased_without_possessives():
    assert names("Aliyev’s troops entered Aghdam, said Lavrov to NATO") == {
        "aliyev", "aghdam", "lavrov", "nato"}


def test_an_entry_stating_full_dates_is_dated_by_the_latest_one():
    p = pending(explicit=[(datetime(2020, 11, 1), "1 November 2020"),
                          (datetime(2020, 11, 9), "9 November 2020")])
    inf = infer_date(p, dated())
    assert (inf.when, inf.method, inf.evidence) == (datetime(2020, 11, 9), "own-dates",
                                                    "9 November 2020")


def test_a_month_day_takes_the_year_of_a_matching_event_elsewhere_in_the_corpus():
    p = pending(partials=[(11, 20, "On November 20th",
                           "On November 20th, Aliyev said units entered Aghdam.")])
    corpus = dated(
        ("2021-11-20 10:00", "Unrelated news from Paris", "Nothing shared"),
        ("2020-11-20 09:00", "Azerbaijani units enter Aghdam", "Aliyev announced it."),
        ("2022-03-27", "Other", "text"), ("2022-03-28", "Other", "text"),
    )
    inf = infer_date(p, corpus)
    assert inf.method == "corpus-match"
    assert inf.when == datetime(2020, 11, 20)
    assert "aghdam" in inf.explanation and "aliyev" in inf.explanation


def test_summaries_merge_like_one_summary_over_all_records():
    rows = [("2020-11-20 09:00", "Units enter Aghdam", "Aliyev said"),
            ("2021-03-01", "Other", "News from Baku"), ("2020-12-01", "X", "Y")]
    whole = dated(*rows)
    merged = dated(*rows[:1]).merge(dated(*rows[1:]))
    assert (merged.first, merged.last, merged.years) == (whole.first, whole.last, whole.years)
    assert merged.by_day == whole.by_day


def test_without_a_match_the_year_comes_from_the_dense_period():
    p = pending(partials=[(10, 22, "On October 22nd", "On October 22nd, nothing matched.")])
    corpus = dated(("2020-10-01", "A", "a"), ("2020-10-02", "B", "b"), ("2022-03-27", "C", "c"))
    inf = infer_date(p, corpus)
    assert (inf.method, inf.when) == ("dense-period", datetime(2020, 10, 22))
    assert inf.confidence < infer_date(pending(explicit=[(datetime(2020, 1, 1), "x")]),
                                       corpus).confidence


def test_the_latest_month_day_dates_the_report():
    p = pending(partials=[(9, 27, "September 27", "from September 27"),
                          (12, 1, "December 1", "to December 1"),
                          (11, 10, "November 10", "signed on November 10")])
    assert infer_date(p, dated(("2020-05-05", "x", "y"))).when == datetime(2020, 12, 1)


def test_an_entry_with_no_date_expression_stays_undated():
    assert infer_date(pending(), dated(("2020-05-05", "x", "y"))) is None


def test_background_flags_events_outside_the_padded_span_of_reports():
    events = from_records([
        {"event_id": "r1", "kind": "report", "start": "2020-09-27", "end": "2020-09-28"},
        {"event_id": "r2", "kind": "report", "start": "2020-11-10", "end": "2020-11-11"},
        {"event_id": "m1", "kind": "mention", "report_id": "r1", "start": "1991-01-01",
         "end": "1995-01-01"},
        {"event_id": "m2", "kind": "mention", "report_id": "r1", "start": "2020-09-01",
         "end": "2020-09-02"},
        {"event_id": "m3", "kind": "mention", "report_id": "r2", "start": "2021-06-01",
         "end": "2021-06-02"},
    ])
    flagged = flag_background(events).set_index("event_id")["background"]
    assert flagged.to_dict() == {"r1": False, "r2": False, "m1": True, "m2": False, "m3": True}


def _bundled_results():
    from app.paths import CORPUS_DIR
    from app.pipeline import iter_documents

    return list(iter_documents([CORPUS_DIR]))


def test_a_pending_entry_survives_a_json_round_trip_with_the_same_inferred_events():
    import json

    from app.pipeline import inferred_records

    results = _bundled_results()
    summary = CorpusSummary()
    for res in results:
        summary.add(res.records)
    pending = [p for res in results for p in res.pending]
    assert pending, "the bundled corpus has undated articles"
    back = [Pending.from_dict(json.loads(json.dumps(p.to_dict()))) for p in pending]
    assert [(b.entry, b.language, b.partials, b.explicit, b.neighbour) for b in back] == [
        (p.entry, p.language, p.partials, p.explicit, p.neighbour) for p in pending]
    assert inferred_records(back, summary) == inferred_records(pending, summary)


def test_a_pending_entry_keeps_only_the_text_near_it_but_every_offset_holds():
    head = "Forum line\n" * 1000
    body = "Quoted article\nOn November 20th, Aliyev said units entered Aghdam.\n"
    doc = Document("long.txt", head + body)
    entry = Entry("article", len(head), len(head) + len(body), "Quoted article", body, None)
    p = Pending(doc, entry, "en", partials=[(11, 20, "On November 20th", "On November 20th")])
    assert len(p.doc.text) < len(head) // 2  # held in memory: the window, not the document
    data = p.to_dict()
    assert len(data["doc"]["text"]) < len(head) // 2
    for kept in (p, Pending.from_dict(data)):
        whole = kept.document()
        assert len(whole.text) == len(doc.text)
        assert whole.text[entry.char_start:] == body
        assert whole.text[data["doc"]["offset"] - 1] == "\n"
        assert whole.text.rfind("\n", 0, entry.char_start) == doc.text.rfind(
            "\n", 0, entry.char_start)


def test_a_pending_entry_ends_its_text_where_the_entry_ends():
    body = "Quoted article\nOn November 20th, Aliyev said units entered Aghdam."
    doc = Document("d.txt", body + "\n\nThe next post, not part of the entry.")
    entry = Entry("article", 0, len(body), "Quoted article", body, None)
    p = Pending(doc, entry, "en")
    assert (p.offset, p.document().text) == (0, body)


def test_a_summary_built_from_event_frames_equals_one_built_from_records():
    from app.pipeline import document_events, inferred_records
    from app.schema import from_records

    results = _bundled_results()
    by_records, by_frames = CorpusSummary(), CorpusSummary()
    for res in results:
        by_records.add(res.records)
        by_frames.add_frame(document_events(res))
    assert by_frames == by_records
    extra = inferred_records([p for res in results for p in res.pending], by_records)
    assert any(r.get("year_inferred") for r in extra)
    by_records.add(extra)
    by_frames.add_frame(from_records(extra))
    assert by_frames == by_records
    assert by_frames.by_day and by_frames.years


def test_a_summary_from_an_empty_frame_stays_empty():
    summary = CorpusSummary()
    summary.add_frame(from_records([]))
    assert summary == CorpusSummary()


def test_a_text_repeated_after_a_space_has_the_names_it_has_once():
    # the summary reads a mention whose title is its whole sentence once, not twice
    for res in _bundled_results():
        for r in res.records:
            assert names(f"{r['text']} {r['text']}") == names(r["text"])
    odd = "Aliyev’s men in Şuşa-Stadt and O'Neill's"
    assert names(f"{odd} {odd}") == names(odd) == {"aliyev", "stadt", "o'neill"}

"""`timeline dates` as a TimeML annotator: two dates for 'between', --all-types."""

from __future__ import annotations

import json
import subprocess
import sys


def dates(*args: str, stdin: str) -> list[tuple[str, str, str]]:
    run = subprocess.run([sys.executable, "-m", "app", "dates", *args, "-"], input=stdin,
                         capture_output=True, text=True, check=True)
    return [(h["evidence"], h["value"], h["kind"]) for h in json.loads(run.stdout)]


def test_dates_prints_between_as_two_dates_and_durations_and_sets_when_asked():
    text = "Zwischen 1982 und 1992 wuchs die Stadt zwei Jahre lang; Markt ist jeden Montag."
    plain = dates("--ref", "2016-05-03", "--lang", "de", stdin=text)
    assert plain == [("1982", "1982", "absolute"), ("1992", "1992", "absolute"),
                     ("Montag", "2016-05-02", "relative")]
    every = dates("--ref", "2016-05-03", "--lang", "de", "--all-types", stdin=text)
    assert every == [("1982", "1982", "absolute"), ("1992", "1992", "absolute"),
                     ("zwei Jahre", "P2Y", "duration"), ("jeden Montag", "XXXX-WXX-1", "set")]

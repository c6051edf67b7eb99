"""French cases of issue 21, one table row each: (reference, text, [(evidence, value)])."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.dates.timeml import timeml_hits

CASES = [
    ("2013-06-14", "Ouverture des portes 14 h.", [("14 h", "2013-06-14T14:00")]),
    ("2013-06-14", "Le train part à 21 h 45.", [("21 h 45", "2013-06-14T21:45")]),
    ("2013-06-14", "La séance reprend à 9h30.", [("9h30", "2013-06-14T09:30")]),
    ("2013-06-12", "Grande braderie SAMEDI place du marché.", [("SAMEDI", "2013-06-15")]),
    ("2013-06-12", "Le conseil doit se réunir vendredi.", [("vendredi", "2013-06-14")]),
    ("2013-06-12", "Un cycliste a été blessé lundi.", [("lundi", "2013-06-10")]),
    ("2013-06-12", "Hier matin, la route était coupée.", [("Hier matin", "2013-06-11TMO")]),
    ("2013-06-12", "Le maire s'exprimera ce soir.", [("ce soir", "2013-06-12TEV")]),
    ("2013-06-12", "Les députés votent aujourd'hui.", [("aujourd'hui", "2013-06-12")]),
    ("2013-06-12", "L'usine a fermé à l'hiver 2009.", [("hiver 2009", "2009-WI")]),
    ("2013-06-12", "Les prix ont baissé l'automne dernier.", [("automne dernier", "2012-FA")]),
    ("2013-06-12", "Rome est fondée en 753 av. J.-C.", [("753 av. J.-C.", "BC0753")]),
    ("2013-06-12", "Les élections 2012 ont surpris.", [("2012", "2012")]),
    ("2013-06-12", "En l'an 97, il est parti.", [("l'an 97", "1997")]),
    ("2013-06-12", "entre 1990 et 1995", [("1990", "1990"), ("1995", "1995")]),
    ("2013-06-12", "La route était fermée à Noël.", [("Noël", "2012-12-25")]),
    ("2013-06-12", "Le lundi de Pâques 2013 était férié.", [("lundi de Pâques 2013",
                                                         "2013-04-01")]),
    ("2013-06-12", "L'accord du Vendredi saint tient.", []),
    ("2013-06-12", "Le chantier a duré trois ans.", [("trois ans", "P3Y")]),
    ("2013-06-12", "Le journal paraît chaque jour.", [("chaque jour", "P1D")]),
    ("2013-06-12", "1 235 réfugiés, des S-300, 7 unités et 2000 soldats.", []),
    ("2013-06-12", "Il a roulé pendant 3 h, à 130 km/h sur 5 h.", []),
    ("2013-06-12", "Le projet a abouti trois ans plus tard que prévu.", [("trois ans", "P3Y")]),
]


@pytest.mark.parametrize(("ref", "text", "expected"), CASES)
def test_french_case(ref, text, expected):
    hits = timeml_hits(text, ref=datetime.fromisoformat(ref), lang="fr", all_types=True)
    assert [(h.evidence, h.value) for h in hits] == expected

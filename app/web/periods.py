"""Known periods of the subject (wars, blockades), drawn as bands behind the timeline."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from app.paths import DATA_DIR

PERIODS_CSV = DATA_DIR / "periods.csv"


def load_periods(path: Path = PERIODS_CSV) -> pd.DataFrame:
    """Columns start, end (inclusive days), label, description; empty if the file is missing."""
    columns = ["start", "end", "label", "description"]
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    df = pd.read_csv(path, dtype="str", keep_default_na=False)
    df["start"] = pd.to_datetime(df["start"], format="%Y-%m-%d").astype("datetime64[ns]")
    df["end"] = pd.to_datetime(df["end"], format="%Y-%m-%d").astype("datetime64[ns]")
    return df[columns].sort_values("start").reset_index(drop=True)

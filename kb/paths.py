"""Where data lives: the bundled data directory and the variable that points elsewhere."""

from __future__ import annotations

from pathlib import Path

BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"
DATA_ENV = "KB_DATA_DIR"

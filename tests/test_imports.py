"""Every module of the package imports on its own, whichever is imported first.

An import cycle only shows when the cycle's later module is imported first, which the
entry points never do; a script or a notebook that starts elsewhere would meet it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import app

PROBE = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def package_modules() -> list[str]:
    root = Path(app.__file__).parent
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue  # runs the CLI when imported
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_module_imports_first() -> None:
    names = package_modules()
    assert {"app.segment", "app.ingest.base", "app.engine", "app.web.server"} <= set(names)
    done = subprocess.run([sys.executable, "-c", PROBE, *names], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr

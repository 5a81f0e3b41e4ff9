"""Every signed head appended, one JSON line each, to a file the operator ships off-site."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class HeadsFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, head: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(head, separators=(",", ":"), sort_keys=True) + "\n"
        # O_APPEND: one write per head, never interleaved with another process's.
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(descriptor, line.encode("ascii"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line]

"""The chart `chartfix patch` reads (a folder or an archive) and the files a patch writes into it."""

from __future__ import annotations

import os
from pathlib import Path

from chartfix.errors import Position
from chartfix.helm.loader import load_chart
from chartfix.patch.errors import PatchError
from chartfix.records import field, record


@record
class Patch:
    """What `chartfix patch` writes: the changed files of the chart, with what they were."""

    chart: str  # the chart as given
    changes: dict[str, bytes] = field(default_factory=dict)  # chart-relative path -> new content
    originals: dict[str, bytes | None] = field(default_factory=dict)  # None: a new file
    messages: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


class ChartSource:
    """The chart's own files as bytes on disk (a folder) or in the archive (a .tgz)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.is_dir = os.path.isdir(path)
        self._archive: dict[str, bytes] | None = None
        if not self.is_dir:
            self._archive = dict(load_chart(path).raw_files)

    def read(self, name: str) -> bytes | None:
        if self._archive is not None:
            return self._archive.get(name)
        file = Path(self.path, name)
        return file.read_bytes() if file.is_file() else None

    def archived(self) -> dict[str, bytes]:
        """The files of an archived chart by chart-relative path (a folder: none)."""
        return dict(self._archive or {})

    def text(self, name: str) -> str:
        data = self.read(name)
        return data.decode("utf-8", errors="surrogateescape") if data is not None else ""


def template_file(template_name: str) -> str:
    """`chart/templates/a.yaml` -> `templates/a.yaml`; subcharts are refused."""
    relative = template_name.split("/", 1)[1]
    if relative.startswith("charts/"):
        raise PatchError(
            f"{relative} is a template of a subchart; patch that chart instead",
            Position(relative),
        )
    return relative

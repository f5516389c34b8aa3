"""Writing a verified patch: a new folder, the chart folder in place, a package or a diff; all of it
or nothing."""

from __future__ import annotations

import difflib
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from chartfix.errors import Position
from chartfix.helm.loader import Rules, load_chart
from chartfix.patch.errors import PatchError
from chartfix.patch.source import ChartSource, Patch


def materialize(patch: Patch, source: ChartSource, target: Path) -> None:
    """Write the whole patched chart into `target` (which must not exist)."""
    if source.is_dir:
        shutil.copytree(source.path, target, symlinks=True)
    else:
        for name, data in source.archived().items():
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for name, data in patch.changes.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def write_to_folder(patch: Patch, out_dir: str, force: bool) -> None:
    """Write the patched chart to `out_dir` through a staging folder next to it: on any failure
    (full disk, unwritable place, interruption) nothing is left and a replaced folder is restored."""
    target = Path(out_dir).absolute()
    if target.exists() and not force:
        raise PatchError(f"{out_dir} exists; use --force to replace it")
    chart = Path(patch.chart).resolve()
    if chart.is_dir() and (target.resolve() == chart or chart in target.resolve().parents):
        raise PatchError("the output folder must be outside the chart folder", Position(out_dir))
    with _cleanup_on_failure(out_dir) as created:
        created += _make_parents(target.parent)
        staging = Path(tempfile.mkdtemp(prefix=".chartfix-", dir=target.parent))
        created.append(staging)
        materialize(patch, ChartSource(patch.chart), staging / "chart")
        previous = staging / "previous"
        if target.exists() or target.is_symlink():
            os.replace(target, previous)
        try:
            os.replace(staging / "chart", target)
        except BaseException:
            if previous.exists():
                os.replace(previous, target)
            raise


def write_in_place(patch: Patch) -> None:
    """Rewrite the changed files of a chart folder: each one through a temporary file, all of them
    or none (originals are kept as hard links until every replacement is done)."""
    if not os.path.isdir(patch.chart):
        raise PatchError("--in-place needs a chart folder, not an archive; use -o")
    staged: list[tuple[Path, Path]] = []
    backups: dict[Path, Path | None] = {}
    with _cleanup_on_failure(patch.chart) as created:
        for name, data in patch.changes.items():
            final = Path(patch.chart, name)
            created += _make_parents(final.parent)
            fd, tmp = tempfile.mkstemp(prefix=".chartfix-", dir=final.parent)
            created.append(Path(tmp))
            staged.append((Path(tmp), final))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, final.stat().st_mode & 0o7777 if final.exists() else 0o644)
        for _, final in staged:
            backups[final] = _backup(final)
            if backups[final] is not None:
                created.append(backups[final])
        try:
            for tmp, final in staged:
                os.replace(tmp, final)
        except BaseException:
            _restore(backups)
            raise


def _backup(final: Path) -> Path | None:
    """A hard link to the current file (None: the file is new) so that it can be put back."""
    if not final.exists():
        return None
    backup = final.with_name(f".chartfix-backup-{final.name}-{os.getpid()}")
    backup.unlink(missing_ok=True)
    try:
        os.link(final, backup)
    except OSError:  # no hard links here: a copy does the same job
        shutil.copy2(final, backup)
    return backup


def _restore(backups: dict[Path, Path | None]) -> None:
    for final, backup in backups.items():
        if backup is None:
            final.unlink(missing_ok=True)
        else:
            os.replace(backup, final)


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; the created ones, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


@contextmanager
def _cleanup_on_failure(where: str) -> Iterator[list[Path]]:
    """Yield a list for the paths the block creates. When the block fails they are all removed and
    an OSError or TarError becomes a PatchError naming `where`; when it succeeds only the temporary
    ones (named .chartfix-*) are."""
    created: list[Path] = []
    try:
        yield created
    except BaseException as error:
        for path in reversed(created):
            _remove(path)
        if isinstance(error, OSError):
            raise _write_error(where, error) from None
        if isinstance(error, tarfile.TarError):
            raise PatchError(f"cannot write the patched chart: {error}", Position(where)) from None
        raise
    for path in created:
        if path.name.startswith(".chartfix-"):
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _write_error(where: str, error: OSError) -> PatchError:
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list):
        # copytree collects (source, destination, reason) for every file: the first one is enough
        source, _, reason = error.args[0][0]
        detail = f"{reason}: {source}"
    else:
        detail = error.strerror or str(error)
        if error.filename is not None:
            detail += f": {error.filename}"
    return PatchError(f"cannot write the patched chart ({detail}); nothing was written", Position(where))


def write_package(patch: Patch, out_dir: str) -> Path:
    """A `.tgz` as `helm package` writes it: `<name>-<version>.tgz` holding `<name>/...`, with the
    chart's .helmignore applied. Written to a temporary file first; nothing is left on failure."""

    with tempfile.TemporaryDirectory(prefix="chartfix-package-") as tmp:
        staging = Path(tmp, "chart")
        with _cleanup_on_failure(out_dir):
            materialize(patch, ChartSource(patch.chart), staging)
        chart = load_chart(str(staging))
        name, version = chart.name(), chart.metadata.Version
        ignore_file = staging / ".helmignore"
        rules = Rules.parse(ignore_file.read_text(encoding="utf-8") if ignore_file.is_file() else "")
        rules.add_defaults()
        target = Path(out_dir, f"{name}-{version}.tgz")
        with _cleanup_on_failure(out_dir) as created:
            created += _make_parents(Path(out_dir).absolute())
            fd, tmp_archive = tempfile.mkstemp(prefix=".chartfix-", dir=out_dir)
            os.close(fd)
            created.append(Path(tmp_archive))
            with tarfile.open(tmp_archive, "w:gz") as archive:
                for path in sorted(staging.rglob("*")):
                    relative = path.relative_to(staging).as_posix()
                    if path.is_dir() or rules.ignore(relative, False):
                        continue
                    archive.add(path, arcname=f"{name}/{relative}", recursive=False)
            os.chmod(tmp_archive, 0o644)  # as `helm package` writes it (mkstemp makes 0600)
            os.replace(tmp_archive, target)
    return target


def unified_diff(patch: Patch) -> str:

    chunks = []
    for name in sorted(patch.changes):
        before = patch.originals.get(name)
        old = (before or b"").decode("utf-8", errors="replace").splitlines(keepends=True)
        new = patch.changes[name].decode("utf-8", errors="replace").splitlines(keepends=True)
        chunks += difflib.unified_diff(old, new, "/dev/null" if before is None else f"a/{name}", f"b/{name}")
    return "".join(chunks)

"""Find and read a rulebook's TOML files: size limits, the content hash, parsing; and
the findings of a load, each naming its file as messages show it."""

# No `from __future__ import annotations` here: with it, typing.NamedTuple compiles
# every field's annotation string at import, which costs start-up time.

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from hashlib import sha256 as sha256
else:  # CPython's own sha256, the same digests as hashlib's without loading OpenSSL (≈2 ms
    try:  # of every start)
        from _sha256 import sha256
    except ImportError:  # Python 3.12+ names it _sha2; other interpreters have hashlib
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256

from holdtight.errors import toml_error
from holdtight.reading import number_error

MAX_RULEBOOK_FILE_BYTES = 4 * 1024 * 1024
META_FILE = "rulebook.toml"


class Finding(NamedTuple):
    """One problem in a rulebook: an error stops it loading; a warning is a lint."""

    file: str
    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{self.file}: {place}{self.message}"


class Findings:
    """The findings of one load, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def error(self, file: str, where: str, message: str) -> None:
        self.items.append(Finding(file, where, message))

    def warn(self, file: str, where: str, message: str) -> None:
        self.items.append(Finding(file, where, message, "warning"))

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.items)


def bundled_rules_dir() -> Path:
    """The default rulebook: packaged into the wheel, or the repository's `rules/`."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


class RulebookFiles:
    """The files of one rulebook folder. Files are named by their path relative to the
    folder (`rules/extra.toml`), the same wherever the rulebook is installed."""

    def __init__(self, root: Path, findings: Findings) -> None:
        self.root = root
        self.findings = findings
        self._display: dict[str, str] = {}

    def check_folder(self) -> bool:
        """Whether the folder exists and has its META_FILE (an error if not)."""
        if not self.root.is_dir():
            what = "not a folder" if self.root.exists() else "no such folder"
            self.findings.error(
                str(self.root), "", f"{what}: a rulebook is a folder with {META_FILE}"
            )
            return False
        if not (self.root / META_FILE).is_file():
            self.findings.error(str(self.root), "", f"no {META_FILE} in this folder")
            return False
        return True

    def paths(self) -> list[Path]:
        found = sorted(self.root.glob("*.toml")) + sorted(self.root.glob("rules/*.toml"))
        return [path for path in found if path.is_file()]

    def read_all(self) -> tuple[dict[str, bytes], str]:
        """Every file's bytes by name, and the sha256 of them all (names included)."""
        contents: dict[str, bytes] = {}
        digest = sha256()
        for path in self.paths():
            name = path.relative_to(self.root).as_posix()
            try:
                size = path.stat().st_size
                if size > MAX_RULEBOOK_FILE_BYTES:
                    self.findings.error(self.display(name), "", f"file is too large ({size} bytes)")
                    continue
                raw = path.read_bytes()
            except OSError as error:
                self.findings.error(
                    self.display(name), "", f"cannot read: {error.strerror or error}"
                )
                continue
            digest.update(name.encode() + b"\0" + raw + b"\0")
            contents[name] = raw
        return contents, digest.hexdigest()

    def parse(self, name: str, raw: bytes) -> dict[str, Any] | None:
        """The TOML document in a file, or None (and an error naming the file)."""
        file = self.display(name)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            self.findings.error(file, "", f"not UTF-8 text (byte {error.start})")
            return None
        import tomllib  # parsed only on a cache miss: a hit reads the validated tables

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            self.findings.error(file, "", toml_error(error, text))
            return None
        except ValueError as error:  # tomllib lets int()'s digit limit through as is
            self.findings.error(file, "", number_error(error))
            return None
        except RecursionError:
            self.findings.error(file, "", "nested too deeply")
            return None

    def display(self, name: str) -> str:
        """A file as messages name it: a path the reader can open from the current
        folder (relative below it, absolute elsewhere)."""
        shown = self._display.get(name)
        if shown is None:
            path = os.path.abspath(self.root / name)
            try:
                relative = os.path.relpath(path)
            except ValueError:  # another drive (Windows)
                relative = path
            shown = path if relative.startswith("..") else relative
            self._display[name] = shown
        return shown

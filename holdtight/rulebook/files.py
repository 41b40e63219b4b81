"""Find and read a rulebook's TOML files: size limits, the content hash, parsing, and
the file names that messages show."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

from holdtight.errors import toml_error
from holdtight.rulebook.findings import Findings

MAX_RULEBOOK_FILE_BYTES = 4 * 1024 * 1024
META_FILE = "rulebook.toml"


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
        digest = hashlib.sha256()
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
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            self.findings.error(file, "", toml_error(error, text))
            return None
        except RecursionError:
            self.findings.error(file, "", "nested too deeply")
            return None

    def display(self, name: str) -> str:
        """A file as messages name it: with the rulebook folder's own name in front."""
        path = self.root / name
        try:
            return str(path.relative_to(self.root.parent)) if path != self.root else path.name
        except ValueError:
            return str(path)

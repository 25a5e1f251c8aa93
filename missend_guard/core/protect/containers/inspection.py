"""The result of looking inside a file, the kinds it can have, and the limits that keep looking safe."""

from __future__ import annotations

from dataclasses import dataclass

# Limits against zip bombs and hostile files: attachments come from anywhere.
MAX_ZIP_MEMBERS = 20_000
MAX_XML_PART_BYTES = 20 * 1024 * 1024
MAX_COMPRESSION_RATIO = 1_000  # XML compresses ~10-50x; far beyond that is a bomb, not a document
RATIO_FLOOR_BYTES = 1024 * 1024  # small parts may compress absurdly well (blank sheets) and are harmless

TOO_LARGE = "too-large-to-inspect"

WORD_KINDS = frozenset({"docx", "docm", "dotx", "dotm"})
EXCEL_KINDS = frozenset({"xlsx", "xlsm", "xltx", "xltm"})
POWERPOINT_KINDS = frozenset({"pptx", "pptm", "potx", "ppsx"})
OOXML_KINDS = WORD_KINDS | EXCEL_KINDS | POWERPOINT_KINDS
LEGACY_OFFICE_KINDS = frozenset({"doc", "xls", "ppt"})
ZIP_FAMILY = OOXML_KINDS | {"zip"}


@dataclass(frozen=True)
class TrackedChanges:
    """Revision marks and comments left in a Word document."""

    insertions: int = 0
    deletions: int = 0
    comments: int = 0

    def __bool__(self) -> bool:
        return bool(self.insertions or self.deletions or self.comments)


@dataclass(frozen=True)
class Inspection:
    """What a file is and whether it is encrypted; `problem` names why it could not be read ("" when fine).

    kind: "pdf", "zip", an OOXML extension ("docx", "xlsx", "xlsm", "pptx", ...), "doc", "xls", "ppt",
    "ole" (another compound file) or "other". problem: "corrupt-<kind>" or "too-large-to-inspect".
    """

    kind: str
    encrypted: bool = False
    problem: str = ""
    hidden_sheets: tuple[tuple[str, str], ...] = ()  # (sheet name, "hidden" | "veryHidden"); deep only
    tracked_changes: TrackedChanges = TrackedChanges()  # deep only


class UnreadableError(Exception):
    """Raised inside the readers when a container is broken or too large; carries a short reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

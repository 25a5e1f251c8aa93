"""Attachments of an Outlook item: saved with SaveAsFile into a private folder, read, deleted."""

from __future__ import annotations

import contextlib
import mimetypes
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from missend_guard.transports.outlook.com import (
    DENIED,
    AccessDenied,
    call,
    describe,
    hresult_of,
    outlook_gone,
    prop,
)

_TAG = "http://schemas.microsoft.com/mapi/proptag/"
PR_ATTACH_METHOD = _TAG + "0x37050003"
PR_ATTACH_LONG_PATHNAME = _TAG + "0x3707001F"  # the link of a cloud attachment
PR_ATTACH_MIME_TAG = _TAG + "0x370E001F"
PR_ATTACH_CONTENT_ID = _TAG + "0x3712001F"

# OlAttachmentType, and PR_ATTACH_METHOD's ATTACH_BY_WEBREFERENCE (a OneDrive/SharePoint link).
OL_BY_VALUE, OL_BY_REFERENCE, OL_EMBEDDED_ITEM, OL_OLE = 1, 4, 5, 6
ATTACH_BY_WEB_REFERENCE = 7
OUTLOOK_ITEM_TYPE = "application/vnd.ms-outlook"

MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024  # larger files are flagged unread, not loaded


@dataclass(frozen=True)
class ReadAttachment:
    """One attached file as read from the item."""

    index: int  # 1-based position in item.Attachments
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    content_id: str = ""  # set when the HTML body shows it (a cid: image, not a file the user attached)


@contextlib.contextmanager
def private_folder(root: Path | None = None) -> Iterator[Path]:
    """A folder only this user can open (0700), removed with whatever is left in it."""
    folder = Path(tempfile.mkdtemp(prefix="missend-guard-outlook-", dir=root))
    try:
        os.chmod(folder, 0o700)  # mkdtemp already does on POSIX; on Windows %TEMP% is per user
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _prop(accessor: Any, tag: str) -> Any:
    return None if accessor is None else call(accessor, "GetProperty", tag)


def _name(attachment: Any, index: int, kind: Any) -> str:
    for attribute in ("FileName", "DisplayName"):
        value = prop(attachment, attribute)
        if isinstance(value, str) and value.strip():
            name = value.strip()
            break
    else:
        name = f"attachment-{index}"
    if kind == OL_EMBEDDED_ITEM and not name.lower().endswith(".msg"):
        name += ".msg"
    return name


def _content_type(name: str, kind: Any, accessor: Any) -> str:
    if kind == OL_EMBEDDED_ITEM:
        return OUTLOOK_ITEM_TYPE
    tag = _prop(accessor, PR_ATTACH_MIME_TAG)
    if isinstance(tag, str) and "/" in tag:
        return tag.strip().lower()
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _read_one(attachment: Any, index: int, html: str, folder: Path,
              problems: list[str]) -> ReadAttachment | None:
    kind = prop(attachment, "Type")
    name = _name(attachment, index, kind)
    accessor = prop(attachment, "PropertyAccessor")
    method = _prop(accessor, PR_ATTACH_METHOD)
    if kind == OL_BY_REFERENCE or method == ATTACH_BY_WEB_REFERENCE:
        # A link (OneDrive, SharePoint, a file share): the content is not in the mail to check.
        problems.append(f"outlook-cloud-attachment:{name}")
        return None
    size = prop(attachment, "Size")
    if isinstance(size, int) and size > MAX_ATTACHMENT_BYTES:
        problems.append(f"outlook-attachment-too-large:{name}")
        return None
    # Our own name on disk: the attachment's name may hold characters a path must not.
    path = folder / f"attachment-{index}"
    try:
        attachment.SaveAsFile(str(path))
        data = path.read_bytes()
    except Exception as exc:
        if hresult_of(exc) in DENIED:
            raise AccessDenied(describe(exc)) from exc
        if outlook_gone(exc):
            raise
        problems.append(f"outlook-unreadable:attachment {name} ({describe(exc)})")
        return None
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    cid = _prop(accessor, PR_ATTACH_CONTENT_ID)
    cid = cid.strip().strip("<>") if isinstance(cid, str) else ""
    shown = bool(cid) and f"cid:{cid}".lower() in html.lower()
    return ReadAttachment(index, name, _content_type(name, kind, accessor), data,
                          cid if shown else "")


def read_attachments(item: Any, html: str, folder: Path, problems: list[str]) -> list[ReadAttachment]:
    """Every attachment's bytes (embedded Outlook items as .msg); links and failures in `problems`."""
    attachments = prop(item, "Attachments")
    if attachments is None:
        problems.append("outlook-unreadable:attachments")
        return []
    count = prop(attachments, "Count") or 0
    found: list[ReadAttachment] = []
    for index in range(1, int(count) + 1):
        attachment = call(attachments, "Item", index)
        if attachment is None:
            problems.append(f"outlook-unreadable:attachment {index}")
            continue
        if (read := _read_one(attachment, index, html, folder, problems)) is not None:
            found.append(read)
    return found

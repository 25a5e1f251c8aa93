"""Review notes are data; the audit's text for them is written in one place and keeps each name whole."""

from __future__ import annotations

import pytest

from missend_guard.core.ports.review import ReviewNote, notes_text


def test_ordinary_names_read_as_before_grouped_by_action_in_order() -> None:
    notes = (
        ReviewNote("bcc-conversion", detail="external To/Cc moved to Bcc"),
        ReviewNote("sent-as-is", "見積書.xlsx"),
        ReviewNote("encrypted-pdf", "御見積書.pdf"),
        ReviewNote("sent-as-is", "b.docx"),
    )
    assert notes_text(notes) == (
        "bcc-conversion: external To/Cc moved to Bcc; sent-as-is: 見積書.xlsx, b.docx; "
        "encrypted-pdf: 御見積書.pdf"
    )
    assert notes_text(()) == ""


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("見積書, 最終版.xlsx", '"見積書, 最終版.xlsx"'),
        ("a;b.pdf", '"a;b.pdf"'),
        ('say "hi".txt', '"say \\"hi\\".txt"'),
        (" padded.txt", '" padded.txt"'),
        ("line\nbreak.txt", '"line\\nbreak.txt"'),
    ],
)
def test_a_name_that_could_be_misread_is_quoted(name: str, written: str) -> None:
    assert notes_text((ReviewNote("sent-as-is", name), ReviewNote("sent-as-is", "b.pdf"))) == (
        f"sent-as-is: {written}, b.pdf"
    )


def test_a_detail_beside_a_file_name_is_kept() -> None:
    note = ReviewNote("removed", "a.exe", detail="blocked type")
    assert notes_text((note,)) == "removed: a.exe (blocked type)"

"""HTML body to plain text for checking: block elements become line breaks, blockquotes become '>' lines."""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr", "pre"}
)
_SKIP = frozenset({"style", "script", "head", "title"})
# Containers clients put around quoted mail (Outlook on the web / new Outlook, Gmail, Thunderbird):
# they start a paragraph of their own, so no attribution or header is glued to the text above.
_QUOTE_CONTAINERS = frozenset({
    "divrplyfwdmsg", "gmail_quote", "moz-cite-prefix", "mail-editor-reference-message-container",
    "outlookmessageheader", "yahoo_quoted",
})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote_depth = 0
        self.skip_depth = 0

    def _newline(self) -> None:
        if self.lines[-1].strip(" >"):
            self.lines.append("")

    def _paragraph(self) -> None:
        self._newline()
        if len(self.lines) > 1 and self.lines[-2].strip(" >"):
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "div" and _QUOTE_CONTAINERS.intersection(_names(attrs)):
            self._paragraph()
        elif tag == "blockquote":
            self._newline()
            self.quote_depth += 1
        elif tag in _BLOCKS:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "blockquote":
            self._newline()
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag in _BLOCKS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        text = " ".join(data.split()) if "\n" in data else data.replace("\xa0", " ")
        if not text:
            return
        if not self.lines[-1] and self.quote_depth:
            self.lines[-1] = "> " * self.quote_depth
        self.lines[-1] += text


def _names(attrs: list[tuple[str, str | None]]) -> set[str]:
    """The lower-cased id and class names of an element."""
    return {n.lower() for k, v in attrs if k in ("id", "class") and v for n in v.split()}


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body; never raises on broken markup."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some garbage; keep what it read
        pass
    return "\n".join(line.rstrip() for line in parser.lines).strip()

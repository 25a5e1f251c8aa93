"""The texts rules read (subject, body, own text, quoted messages) of every project corpus mail."""

from __future__ import annotations

import functools

from missend_guard.core.message.model import parse_message
from missend_guard.core.message.thread import parse_thread
from tests.corpus.scoring import HERE


@functools.cache
def corpus_texts() -> tuple[str, ...]:
    """Subject, body, own text, signature and each quoted block's text, for tests/corpus/mails/*.eml."""
    texts: list[str] = []
    for path in sorted((HERE / "mails").glob("*.eml")):
        message = parse_message(path.read_bytes())
        thread = parse_thread(message.body)
        texts += [message.subject, message.body, thread.own, thread.signature, thread.quoted,
                  *(b.text for b in thread.blocks), *(a.filename for a in message.attachments)]
    return tuple(texts)

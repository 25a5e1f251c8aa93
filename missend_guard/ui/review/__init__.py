"""The review dialog and the QtReviewer bridge that opens it for relay threads."""

"""The message: envelope, model and tolerant parsing, body text, MIME splicing, the Bcc rewrite."""

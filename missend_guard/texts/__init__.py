"""User-facing text outside Qt widgets, in Japanese and English, shared by the CLI and the UI.

Qt `tr()` strings (buttons, titles, widget labels) stay in resources/i18n/*.ts; everything else that
a person reads (finding sentences, setting labels, the CLI report) is looked up here.
"""

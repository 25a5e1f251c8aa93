"""Classic Outlook for Windows as a source of mail: ItemSend over COM, through the same gate.

See docs/outlook.md. `com` is the only module that touches pywin32; `build` makes the bridge.
"""

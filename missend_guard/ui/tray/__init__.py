"""The tray icon, its menus and the undo countdown toast."""

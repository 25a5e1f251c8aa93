"""The Qt composition root for `missend-guard run` with a display."""

"""Where Missend Guard keeps its files: platformdirs locations, all overridable by --data-dir."""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "MissendGuard"
PRIVATE_DIR = 0o700  # mail, recipients and logs are the user's alone, whatever the umask
PRIVATE_FILE = 0o600


def make_private(directory: Path, *, walk: bool) -> None:
    """Make `directory` 0700 and its files 0600 (POSIX; a Windows profile is per-user already).

    Only when the directory was not private yet (an install from before this rule, or a copy):
    normally this is one stat. `walk` descends into sub-folders; without it only the files
    directly inside are touched (the data dir may be one the user chose with --data-dir).
    """
    if os.name == "nt" or stat.S_IMODE(directory.stat().st_mode) == PRIVATE_DIR:
        return
    directory.chmod(PRIVATE_DIR)
    for sub, subdirs, files in os.walk(directory):
        for name in files:
            with contextlib.suppress(OSError):  # a file may vanish meanwhile
                (Path(sub) / name).chmod(PRIVATE_FILE)
        if not walk:
            break
        for name in subdirs:
            (Path(sub) / name).chmod(PRIVATE_DIR)


def site_policy_file() -> Path:
    """The administrator's policy file (site config dir, e.g. /etc/xdg/MissendGuard/policy.json)."""
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / "policy.json"


@dataclass(frozen=True)
class DataPaths:
    """The data directory and the files under it; build with `resolve`."""

    root: Path
    config_dir: Path
    # The admin policy still applies with --data-dir: the option must not be a way around locked
    # settings. Tests pass their own file (or a missing one) through `resolve(..., policy_file=)`.
    policy_file: Path

    @classmethod
    def resolve(
        cls, data_dir: str | Path | None, *, policy_file: str | Path | None = None,
        create: bool = True,
    ) -> DataPaths:
        """Paths for `data_dir` (None = platform user dirs); creates the dirs when `create`."""
        if data_dir is not None:
            root = Path(data_dir).expanduser().resolve()
            config_dir = root
        else:
            root = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
            config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        policy = Path(policy_file) if policy_file is not None else site_policy_file()
        paths = cls(root, config_dir, policy)
        if create:
            paths.create()
        return paths

    def create(self) -> None:
        """Create every directory, private to the user (idempotent); OSError names the path."""
        dirs = (self.root, self.config_dir, self.outbox_dir, self.returned_dir, self.logs_dir)
        for directory in dirs:
            directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        for directory in (self.outbox_dir, self.returned_dir, self.logs_dir):
            make_private(directory, walk=True)
        for directory in dict.fromkeys((self.root, self.config_dir)):
            make_private(directory, walk=False)

    @property
    def settings_file(self) -> Path:
        """settings.json (in the config dir; equal to root with --data-dir)."""
        return self.config_dir / "settings.json"

    @property
    def database(self) -> Path:
        """The SQLite file shared by outbox, history and audit."""
        return self.root / "missend_guard.sqlite3"

    @property
    def outbox_dir(self) -> Path:
        """Held and queued .eml files."""
        return self.root / "outbox"

    @property
    def returned_dir(self) -> Path:
        """Mail the user took back with Undo."""
        return self.root / "returned"

    @property
    def logs_dir(self) -> Path:
        """Log files."""
        return self.root / "logs"

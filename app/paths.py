"""Where the app keeps its files. Passed in everywhere so tests can point it at a temp dir."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app import APP_AUTHOR, APP_NAME


@dataclass(frozen=True)
class AppPaths:
    """The app's folders: settings, data (transfers, outbox, training sandbox), logs and caches."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path

    @classmethod
    def default(cls) -> "AppPaths":
        import platformdirs

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)),
        )

    @classmethod
    def under(cls, root: Path) -> "AppPaths":
        root = Path(root)
        return cls(root / "config", root / "data", root / "log", root / "cache")

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def sandbox_dir(self) -> Path:
        return self.data_dir / "sandbox"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def transfers_dir(self) -> Path:
        return self.data_dir / "transfers"

    def ensure(self) -> "AppPaths":
        for d in (self.config_dir, self.data_dir, self.log_dir, self.cache_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self

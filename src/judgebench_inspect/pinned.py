"""Files of a public repository at a pinned commit, fetched at run time and verified.

Files this project uses but does not ship (JudgeBench's and ChatEval's prompt
files, LLMBar's data files) are read from their repository at one commit:
a local copy named by an environment variable, else the user's cache folder,
filled on first use by downloading each file from the commit. Every file is
checked against its SHA-256 and a changed file is refused.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

#: Seconds allowed for downloading one file.
DOWNLOAD_TIMEOUT = 20.0


class FilesUnavailable(ConfigError):
    """Pinned files cannot be had, or one of them was changed."""


def sha256_of(data: bytes) -> str:
    """The SHA-256 of some bytes, as hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class PinnedFiles:
    """Files of one public repository at one commit, fetched at run time and verified.

    A local copy named by an environment variable, else the user's cache
    folder filled by downloading each file from the commit; every file is
    checked against its SHA-256 and a changed file is refused.

    Attributes:
      label: Whose files these are, for messages (``JudgeBench``).
      repository: ``owner/name`` on GitHub.
      commit: The pinned commit.
      files: Repository path -> SHA-256 of every file used.
      env: Environment variable naming a local folder laid out like the repository.
      cache_name: Folder under the user's cache folder (the commit is a subfolder).
      enough: What part of the repository a local copy needs (for the error message).
      base_url: Where files are downloaded from (default: the commit's raw files).
      kind: What one file is, for messages (``prompt file``, ``data file``).
      refused: What a changed file is called when refused (``a changed prompt``).
      way_out: The last way out named when files cannot be had (empty: none besides
        the local copy and the network).
      error: The error raised (a :class:`FilesUnavailable` or another :class:`ConfigError`).
    """

    label: str
    repository: str
    commit: str
    files: dict[str, str]
    env: str
    cache_name: str
    enough: str
    base_url: str = ""
    kind: str = "prompt file"
    refused: str = "a changed prompt"
    way_out: str = "use this project's own wording with -T prompts=builtin"
    error: type[ConfigError] = FilesUnavailable

    @property
    def url(self) -> str:
        """The download prefix of the commit's files."""
        return self.base_url or f"https://raw.githubusercontent.com/{self.repository}/{self.commit}/"

    def cache_dir(self) -> Path:
        """Where downloaded files are kept (the user's cache folder)."""
        import platformdirs

        return Path(platformdirs.user_cache_dir("judgebench-inspect")) / self.cache_name / self.commit

    def check_folder(self, root: Path, origin: str) -> None:
        """Refuse a folder unless every pinned file is there with its hash.

        Args:
          root: A folder laid out like the repository.
          origin: Where the folder came from (for messages).

        Raises:
          FilesUnavailable: (or :attr:`error`) A file is missing or changed.
        """
        for rel, digest in self.files.items():
            path = root / rel
            try:
                data = path.read_bytes()
            except OSError as ex:
                raise self.error(f"{origin}: cannot read {path} ({ex.strerror})") from None
            got = sha256_of(data)
            if got != digest:
                raise self.error(
                    f"{origin}: {path} is not {self.label}'s file at commit {self.commit[:12]} "
                    f"(SHA-256 {got[:16]}..., expected {digest[:16]}...); refusing to use {self.refused}"
                )

    def download(self, root: Path) -> None:
        """Download into ``root`` every pinned file not already there intact.

        Args:
          root: The cache folder of the commit.

        Raises:
          FilesUnavailable: (or :attr:`error`) A file cannot be downloaded, or its hash differs.
        """
        for rel, digest in self.files.items():
            path = root / rel
            if path.is_file() and sha256_of(path.read_bytes()) == digest:
                continue
            url = self.url + rel
            try:
                with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response:  # noqa: S310 - fixed https URL
                    data = response.read()
            except (urllib.error.URLError, OSError, TimeoutError) as ex:
                reason = getattr(ex, "reason", ex)
                network = f"run once with network access (files are cached in {self.cache_dir()})"
                ways = f"{network}, or {self.way_out}" if self.way_out else f"or {network}"
                raise self.error(
                    f"cannot download {self.label}'s {self.kind} {rel} ({reason}). Ways out: set "
                    f"{self.env} to a local copy of the {self.label} repository at commit "
                    f"{self.commit[:12]} ({self.enough}), {ways}"
                ) from None
            got = sha256_of(data)
            if got != digest:
                raise self.error(f"downloaded {url} has SHA-256 {got[:16]}..., expected {digest[:16]}...; refusing it")
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(path.suffix + ".part")
            tmp.write_bytes(data)
            tmp.replace(path)

    def locate(self) -> tuple[Path, str]:
        """The verified folder of the files, and where it came from.

        The folder named by :attr:`env` when set, else the cache (downloading
        what is missing).

        Raises:
          FilesUnavailable: (or :attr:`error`) Files missing and not downloadable, or changed.
        """
        env = os.environ.get(self.env)
        if env:
            root = Path(env).expanduser()
            self.check_folder(root, f"{self.env}={env}")
            return root, f"local copy {root}"
        root = self.cache_dir()
        self.download(root)  # checks the hash of every file it keeps or fetches
        return root, f"{self.url} (cached in {root})"


__all__ = ["DOWNLOAD_TIMEOUT", "FilesUnavailable", "PinnedFiles", "sha256_of"]

"""Where files are: local paths, or URLs of any fsspec filesystem, as Inspect reads and writes logs.

Inspect writes logs wherever ``--log-dir`` points: a local folder, or a URL such
as ``s3://bucket/logs`` (``gs://``, ``az://``, ``hf://`` ... through `fsspec
<https://filesystem-spec.readthedocs.io/>`_). The commands and the dataset layer
take their inputs and outputs the same way. Local paths keep ``pathlib``'s
behaviour (``~`` expanded, ``file://`` accepted); a URL is opened through the
filesystem Inspect itself would use for it, with Inspect's options for its
scheme (for S3: no caching, signature v4), so the credentials and endpoint
(``AWS_ENDPOINT_URL`` ...) that let Inspect write a log there let these
functions read it.

S3 needs ``s3fs`` (``pip install "judgebench[s3]"``); another scheme needs its
own fsspec package. Errors are :class:`StorageError` naming the location.

Inspect's per-scheme options live in a private module (``inspect_ai._util.file``);
this module is the one place that imports them, and falls back to plain fsspec
options should they move.
Logs themselves are listed and read with Inspect's public ``list_eval_logs``
and ``read_eval_log``, which take the same URLs.
"""

from __future__ import annotations

import gzip
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal

from .errors import ConfigError

#: Schemes that are the local filesystem.
_LOCAL_SCHEMES = ("file", "local")


class StorageError(ConfigError):
    """A location that cannot be reached: no package for its scheme, no access, no connection."""


def is_remote(location: str | Path) -> bool:
    """Whether a location is a URL of a filesystem other than the local one (``s3://...``).

    Args:
      location: A local path or a URL.
    """
    if isinstance(location, Path):
        return False
    from fsspec.core import split_protocol

    protocol, _ = split_protocol(location)
    return protocol is not None and protocol not in _LOCAL_SCHEMES


def local_path(location: str | Path) -> Path:
    """A local location as a path (``file://`` dropped, ``~`` expanded).

    Args:
      location: A local path or ``file://`` URL.
    """
    text = str(location)
    return Path(text[len("file://") :] if text.startswith("file://") else text).expanduser()


def normal(location: str | Path) -> str:
    """A location as messages and results name it: a URL as given, a local path as ``pathlib`` writes it.

    Args:
      location: A local path or a URL.
    """
    return str(location).rstrip("/") if is_remote(location) else str(local_path(location))


def name(location: str | Path) -> str:
    """The last component of a location (``s3://b/logs/x.eval`` -> ``x.eval``).

    Args:
      location: A local path or a URL.
    """
    return PurePosixPath(str(location).rstrip("/")).name if is_remote(location) else local_path(location).name


def join(folder: str | Path, child: str) -> str:
    """A location inside a folder.

    Args:
      folder: A local folder or a folder URL.
      child: The name inside it.
    """
    return f"{str(folder).rstrip('/')}/{child}" if is_remote(folder) else str(local_path(folder) / child)


def _reached(location: str, ex: Exception) -> StorageError:
    if isinstance(ex, ImportError):
        scheme = location.split("://", 1)[0]
        extra = ' (pip install "judgebench[s3]")' if scheme in ("s3", "s3a") else ""
        return StorageError(f"{location}: {scheme}:// needs a package that is not installed{extra}: {ex}")
    return StorageError(f"{location}: cannot reach it ({type(ex).__name__}: {ex})")


def _filesystem(location: str) -> Any:
    """The fsspec filesystem of a URL, with Inspect's options for its scheme."""
    import fsspec

    try:
        return fsspec.core.url_to_fs(location, **_fs_options(location))[0]
    except Exception as ex:
        raise _reached(location, ex) from None


def _fs_options(location: str) -> dict[str, Any]:
    """Inspect's fsspec options for a URL's scheme (plain fsspec, uncached, if Inspect's helper moves)."""
    try:
        from inspect_ai._util.file import default_fs_options
    except ImportError:  # a private helper of Inspect's: fall back rather than break
        return {"use_listings_cache": False}
    return default_fs_options(location)


def kind(location: str | Path) -> Literal["file", "directory"] | None:
    """Whether a location is a file, a folder, or not there (``None``).

    Args:
      location: A local path or a URL (on S3, a prefix with objects under it is a folder).

    Raises:
      StorageError: The location's filesystem cannot be reached.
    """
    if not is_remote(location):
        p = local_path(location)
        return "directory" if p.is_dir() else "file" if p.is_file() else None
    text = str(location)
    fs = _filesystem(text)
    try:
        info = fs.info(text)
    except FileNotFoundError:
        return None
    except Exception as ex:
        raise _reached(text, ex) from None
    return "directory" if info.get("type") == "directory" else "file"


def find(folder: str | Path, suffix: str) -> list[str]:
    """The files under a folder, at any depth, whose names end with ``suffix``, sorted.

    Args:
      folder: A local folder or a folder URL.
      suffix: The ending (``.jsonl``).
    """
    if not is_remote(folder):
        return [str(p) for p in sorted(local_path(folder).rglob(f"*{suffix}"))]
    text = str(folder)
    fs = _filesystem(text)
    try:
        found = fs.find(text)
    except Exception as ex:
        raise _reached(text, ex) from None
    return sorted(fs.unstrip_protocol(f) for f in found if f.endswith(suffix))


def open_text(location: str | Path, mode: Literal["r", "w"] = "r", errors: str | None = None) -> IO[str]:
    """Open a text file (UTF-8) to read or write; a ``.gz`` name is read and written as gzip.

    Writing a local file creates its folder. Use as a context manager.

    Args:
      location: A local path or a URL.
      mode: ``r`` or ``w``.
      errors: How to treat bytes that are not UTF-8 (Python's ``errors``; default strict).

    Raises:
      StorageError: The location's filesystem cannot be reached.
      OSError: The file cannot be opened (``FileNotFoundError`` if it is not there).
    """
    gz = str(location).endswith(".gz")
    if not is_remote(location):
        p = local_path(location)
        if mode == "w":
            p.parent.mkdir(parents=True, exist_ok=True)
        if gz:
            return gzip.open(p, mode + "t", encoding="utf-8", errors=errors)  # type: ignore[return-value]
        return p.open(mode, encoding="utf-8", errors=errors)
    import fsspec

    text = str(location)
    try:
        opened = fsspec.open(
            text, mode + "t", encoding="utf-8", errors=errors, compression="gzip" if gz else None,
            **_fs_options(text),
        ).open()
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        raise
    except Exception as ex:
        raise _reached(text, ex) from None
    return opened  # type: ignore[no-any-return]


def write_text(location: str | Path, text: str) -> None:
    """Write a whole text file (UTF-8), local or remote.

    Args:
      location: A local path or a URL.
      text: The content.
    """
    with open_text(location, "w") as f:
        f.write(text)

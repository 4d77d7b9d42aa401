"""A ``.keras`` file is a zip archive: read its members only after its directory says they are what a model has.

Sizes and names are checked from the zip's own directory before anything is
decompressed, and each member is then read through a counter that stops at
its limit, so a member that lies about its size (a zip bomb) costs at most
the limit. Only stored and deflated members are read: bzip2 and lzma, which
expand the most from the least, are refused.
"""

from __future__ import annotations

import io
import zipfile

from penguin_core.errors import PenguinError

MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest upload (the server's upload limit too); a lesson model is about 30 KB."""
MEMBER_LIMITS = {
    "config.json": 256 * 1024,          # the architecture: about 4 KB for the lesson's model
    "metadata.json": 4 * 1024,          # Keras' version and date
    "model.weights.h5": 8 * 1024 * 1024,  # the largest network the lab trains is about 1 MB of weights
    "penguin_lab.json": 2 * 1024 * 1024,  # this app's run: 5000 epochs of history is about 600 KB
}
"""Every member a model saved by Keras (and by this app) has, and the most each may hold, uncompressed."""
REQUIRED = ("config.json", "model.weights.h5")
READABLE = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
CHUNK = 64 * 1024


def read_members(content: bytes) -> dict[str, bytes]:
    """The archive's members by name; PenguinError for anything a saved model would not contain."""
    if len(content) > MAX_FILE_BYTES:
        raise PenguinError(f"This file is {len(content) / 2**20:.1f} MB: a model file may be at most "
                           f"{MAX_FILE_BYTES // 2**20} MB (a lesson model is about 30 KB).")
    if not content.startswith(b"PK"):
        raise PenguinError("This file is not a Keras model: a .keras file is a zip archive saved by model.save().")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise PenguinError("This file is damaged: it starts like a zip archive but its directory cannot be read.") from None
    _check_directory(entries)
    return {entry.filename: _read_bounded(archive, entry) for entry in entries}


def _check_directory(entries: list[zipfile.ZipInfo]) -> None:
    names = [entry.filename for entry in entries]
    if len(names) > len(MEMBER_LIMITS):
        raise PenguinError(f"This archive holds {len(names)} files: a model file holds at most "
                           f"{len(MEMBER_LIMITS)} ({', '.join(MEMBER_LIMITS)}).")
    if len(set(names)) != len(names):
        raise PenguinError("This archive names the same file twice: a model file never does.")
    for entry in entries:
        name = entry.filename
        if name not in MEMBER_LIMITS:
            shown = name[:60].encode("unicode_escape").decode()
            raise PenguinError(f"This archive holds {shown!r}, which is not part of a model file: "
                               f"only {', '.join(MEMBER_LIMITS)} are accepted.")
        if entry.flag_bits & 0x1:
            raise PenguinError(f"{name} is encrypted: a model file never is.")
        if entry.compress_type not in READABLE:
            raise PenguinError(f"{name} is compressed in a way Keras never uses (method {entry.compress_type}): "
                               "only stored or deflated members are read.")
        if entry.file_size > MEMBER_LIMITS[name]:
            raise PenguinError(f"{name} says it holds {entry.file_size / 1024:.0f} KB: at most "
                               f"{MEMBER_LIMITS[name] // 1024} KB is accepted for it.")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise PenguinError(f"This zip file is not a Keras model: it has no {' and no '.join(missing)}.")


def _read_bounded(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """The member's bytes, never more than its limit whatever its header claims."""
    limit, parts, size = MEMBER_LIMITS[entry.filename], [], 0
    try:
        with archive.open(entry) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PenguinError(f"{entry.filename} holds more than {limit // 1024} KB once unpacked "
                                       "(more than its header says): refused.")
                parts.append(chunk)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        raise PenguinError(f"This file is damaged: {entry.filename} cannot be unpacked.") from None
    return b"".join(parts)

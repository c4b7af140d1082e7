"""Reading a CASES file or standard input as UTF-8 text, within ``MAX_DOCUMENT_BYTES``.

The bytes are read in pieces and decoded as they come, so an endless or huge input
(``/dev/zero``, a wrong file) is refused early instead of filling memory: JSON never holds a NUL
byte, a byte that is not UTF-8 is named by its offset (never echoed), and more than
``MAX_DOCUMENT_BYTES`` is too large.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from probation_reset.intake.limits import MAX_DOCUMENT_BYTES

PIECE = 1 << 20


class CasesFileError(ValueError):
    """The input cannot be a CASES document: not UTF-8, a NUL byte, or too large."""


def read_utf8(stream: BinaryIO, limit: int = MAX_DOCUMENT_BYTES) -> str:
    """All of ``stream`` as text, or ``CasesFileError``."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    pieces: list[str] = []
    read = 0
    while True:
        piece = stream.read(PIECE)
        if not piece:
            break
        nul = piece.find(b"\x00")
        if nul >= 0:
            raise CasesFileError(f"byte {read + nul} is NUL: this is not a JSON document")
        if read + len(piece) > limit:
            raise CasesFileError(f"it is larger than the limit of {limit:,} bytes")
        try:
            pieces.append(decoder.decode(piece))
        except UnicodeDecodeError as error:
            raise CasesFileError(
                f"byte {read + error.start} is not UTF-8 (0x{piece[error.start]:02x})"
            ) from None
        read += len(piece)
    try:
        pieces.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise CasesFileError("the text ends inside a UTF-8 character") from None
    return "".join(pieces)


class CheckedText:
    """A CASES file or standard input read a line at a time, as ``text_chunks`` reads it, with
    ``read_utf8``'s checks: no NUL byte, UTF-8 only, and no line (nor the rest of the text read
    whole by ``read``) over ``limit`` bytes. Only the line being read is held, so a JSON Lines
    file of any length streams. Raises ``CasesFileError`` naming the byte at fault."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_DOCUMENT_BYTES) -> None:
        self._stream = stream
        self._limit = limit
        self._read = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        pieces: list[bytes] = []
        length = 0
        while True:
            piece = self._stream.readline(PIECE)
            if not piece:
                break
            nul = piece.find(b"\x00")
            if nul >= 0:
                at = self._read + length + nul
                raise CasesFileError(f"byte {at} is NUL: this is not a JSON document")
            length += len(piece)
            if length > self._limit:
                raise CasesFileError(
                    f"the line from byte {self._read} is longer than the limit of "
                    f"{self._limit:,} bytes"
                )
            pieces.append(piece)
            if piece.endswith(b"\n"):
                break
        if not pieces:
            raise StopIteration
        line = b"".join(pieces)
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CasesFileError(
                f"byte {self._read + error.start} is not UTF-8 (0x{line[error.start]:02x})"
            ) from None
        self._read += length
        return text

    def read(self) -> str:
        """The rest of the text, whole (within the limit less what was read already)."""
        try:
            return read_utf8(self._stream, self._limit - self._read)
        except CasesFileError as error:
            raise CasesFileError(_from(error, self._read)) from None


def _from(error: CasesFileError, offset: int) -> str:
    """The message of an error of ``read_utf8`` on a stream that began ``offset`` bytes in."""
    message = str(error)
    if message.startswith("byte "):
        number, rest = message.removeprefix("byte ").split(" ", 1)
        return f"byte {int(number) + offset} {rest}"
    return message

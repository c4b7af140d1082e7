"""Reading a CASES file or standard input as UTF-8 text, within ``MAX_DOCUMENT_BYTES``.

The bytes are read in pieces and decoded as they come, so an endless or huge input
(``/dev/zero``, a wrong file) is refused early instead of filling memory: JSON never holds a NUL
byte, a byte that is not UTF-8 is named by its offset (never echoed), and more than
``MAX_DOCUMENT_BYTES`` is too large.
"""

from __future__ import annotations

import codecs
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

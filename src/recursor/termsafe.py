"""Model text made harmless for a terminal.

Model replies, cell output and answers are written by a model reading a stranger's data. Raw,
they can drive the terminal that shows them: `ESC]52;` writes the clipboard, `ESC[2J` clears
the screen, OSC 0 retitles the window, C1 codes (U+0080-U+009F) act as ESC on some terminals,
BEL rings, backspace and carriage return overwrite what was printed, and bidi overrides make
text read differently from what it is. `for_terminal` shows each of them as a visible escape
instead (`\\x1b`, `\\u202e`), keeping newlines and tabs.
"""

from __future__ import annotations

import re

__all__ = ["for_terminal"]

#: C0 controls but \t and \n, DEL, C1 controls, bidi embeddings/overrides/isolates and marks,
#: and lone surrogates (which a UTF-8 terminal cannot be sent at all).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """`text` with every control sequence shown as a visible escape; `\\n` and `\\t` kept.

    A Windows line end (`\\r\\n`) is shown as a plain newline; a lone `\\r` as `\\x0d`.
    Backslashes are left alone, so a literal `\\x1b` typed by the model looks the same as
    an escaped ESC: this is for reading, the exact text is in the trace and `--json`.
    """
    text = text.replace("\r\n", "\n")
    return _UNSAFE.sub(_visible, text)

"""The console's command line: highlighted by the pygments ``redis`` lexer,
completed from the command table (``COMMAND DOCS``, :mod:`lab.repl.grammar`).

Highlighting is a Rich :class:`~rich.highlighter.Highlighter` that runs the
same lexer the REPL and the docs use; completion is a Textual
:class:`~textual.suggester.Suggester` that offers the first completion as
grey inline text (→ or Tab accepts it), and :func:`completions` gives the
whole list for the hint line.
"""

from __future__ import annotations

from pygments.token import Comment, Error, Keyword, Name, Number, String, Token
from rich.highlighter import Highlighter
from rich.text import Text
from textual.suggester import Suggester

from lab.repl.grammar import CommandTable, analyze
from lab.repl.lexer import RedisLexer
from lab.repl.split import scan_words

TOKEN_STYLES = [
    (Keyword, "bold magenta"),
    (Name.Builtin, "bold cyan"),
    (Name.Variable, "bold yellow"),
    (Number, "green"),
    (String.Regex, "italic yellow"),
    (String, "green"),
    (Comment, "dim italic"),
    (Error, "bold red"),
]


def style_for(token) -> str | None:
    for kind, style in TOKEN_STYLES:
        if token in kind:
            return style
    return None


class RedisHighlighter(Highlighter):
    """Colours a command line by what each word is in the grammar."""

    def __init__(self, table: CommandTable | None = None) -> None:
        self.lexer = RedisLexer(table=table) if table is not None else RedisLexer()

    def set_table(self, table: CommandTable | None) -> None:
        self.lexer.table = table

    def highlight(self, text: Text) -> None:
        plain = text.plain
        if not plain:
            return
        try:
            tokens = list(self.lexer.get_tokens_unprocessed(plain))
        except Exception:  # a half-typed line must never break the input
            return
        for pos, token, value in tokens:
            style = style_for(token) if token is not Token.Text else None
            if style:
                text.stylize(style, pos, pos + len(value))


def completions(table: CommandTable | None, line: str, keys: list[str] | None = None) -> list[str]:
    """Words that may come next at the end of ``line`` (commands, subcommands, tokens, keys)."""
    if table is None:
        return []
    words = scan_words(line)
    if words and words[-1].end == len(line):
        before, typed = [w.value for w in words[:-1]], words[-1].value
    else:
        before, typed = [w.value for w in words], ""
    upper = typed.upper()
    if not before:
        return sorted(n for n in table.commands if n.startswith(upper))
    command = table.lookup(before)
    if command is None:
        return []
    if command.subcommands and len(before) == 1:
        subs = [s.name.split()[-1] for s in command.subcommands.values()]
        return sorted(s for s in subs if s.startswith(upper))
    analysis = analyze(table, before)
    out: list[str] = []
    wants_key = False
    for edge in analysis.expected:
        if edge.kind == "token" and edge.text.startswith(upper) and edge.text not in out:
            out.append(edge.text)
        elif edge.text == "key":
            wants_key = True
    if wants_key and keys:
        out += [k for k in keys if k.startswith(typed) and k not in out]
    return out


class CommandSuggester(Suggester):
    """The first completion as inline suggestion text.

    :meth:`suggest` computes it at once; the command line calls it when Tab
    or → is pressed, so completion does not depend on the asynchronous
    suggestion having arrived (it has not, when keys come in a burst).
    """

    def __init__(self, table: CommandTable | None = None, keys=lambda: []) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.table = table
        self.keys = keys

    async def get_suggestion(self, value: str) -> str | None:
        return self.suggest(value)

    def suggest(self, value: str) -> str | None:
        if not value or value.endswith(" ") and not value.strip():
            return None
        options = completions(self.table, value, self.keys())
        if not options:
            return None
        words = scan_words(value)
        typed = words[-1].value if words and words[-1].end == len(value) else ""
        choice = options[0]
        if typed and typed.islower() and choice.isupper():
            choice = choice.lower()
        if typed and not choice.upper().startswith(typed.upper()):
            return None
        return value[: len(value) - len(typed)] + choice

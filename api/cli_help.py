"""Help that reads like click's: `Usage: tadamon totals [OPTIONS] CAMPAIGN`, `--as-of TEXT`.

Typer 0.2x labels every parameter with its Python type (`<bool>` on each flag, `<str>`) and
writes a required argument as `{campaign}`; operators copy usage lines, so ours use click's
conventions: upper-case argument names, a type name for valued options, nothing for flags.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperOption

CLICK_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "bool": "BOOLEAN"}


def _type_name(param: TyperArgument | TyperOption, ctx: Any) -> str:
    label = str(param.display_type(ctx)).strip("<>")  # typer's "<str>", "<path>", "<int range>"
    if "|" in label:
        return f"[{label}]"  # choices stay as typed: [admin|committee|...]
    return CLICK_NAMES.get(label, label.upper().replace(" ", "_"))


def _argument_usage(self: TyperArgument) -> str:
    name = (self.metavar or self.name or "").upper()
    name = name if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def _argument_type(self: TyperArgument, ctx: Any) -> str | None:
    return _type_name(self, ctx)


def _option_type(self: TyperOption, ctx: Any) -> str | None:
    if self.is_flag or self.count:
        return None
    return self.metavar or _type_name(self, ctx) + ("..." if self.nargs != 1 else "")


def use_click_conventions() -> None:
    """Applied once, before the first help is printed."""
    patches: list[tuple[type, str, Any]] = [
        (TyperArgument, "_usage_display_name", _argument_usage),
        (TyperArgument, "display_type_rich", _argument_type),
        (TyperOption, "display_type_rich", _option_type),
    ]
    for owner, name, replacement in patches:
        setattr(owner, name, replacement)

"""``check --format github``: one workflow command per problem, annotated on its line.

GitHub Actions turns ``::error file=F,line=L,title=T::MESSAGE`` on a step's output into
an annotation on line L of F in the pull request.  The format has its own escaping
(``%``, CR and LF everywhere; also ``:`` and ``,`` inside properties), applied here so a
message or file name can never end the command early or forge another one.
"""

from __future__ import annotations


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(file: str, line: int, subtype: str, message: str, level: str = "error") -> str:
    """One ``::error`` (or ``::warning``) line for GitHub's annotation parser."""
    props = [f"file={escape_property(file)}"]
    if line > 0:
        props.append(f"line={line}")
    props.append(f"title={escape_property(f'article.{subtype}')}")
    return f"::{level} {','.join(props)}::{escape_data(message)}"

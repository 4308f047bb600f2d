"""convert: scraped Chinese news texts → DOCX, PDF, EPUB and plain text.

    import convert
    doc = convert.read("seeds/article.txt")
    convert.write(doc, "article.txt", to="txt", script="hans")
    convert.convert("seeds/article.txt", to=["docx", "pdf:hans"], out_dir="out")

Only the public API lives here, loaded on first use (PEP 562) so that
``docconv --help`` does not pay for the pipeline's imports.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__ as __version__

_EXPORTS = {
    "read": "api", "write": "api", "convert": "api", "batch": "batching", "Target": "api", "Result": "api",
    "default_targets": "api",
    "ConvertError": "errors", "InputError": "errors", "UsageError": "errors",
    "Document": "model", "Meta": "model", "from_json": "model", "to_json": "model",
    "TransformOptions": "transforms",
}

__all__ = [
    "ConvertError", "Document", "InputError", "Meta", "Result", "Target", "TransformOptions", "UsageError",
    "batch", "convert", "default_targets", "from_json", "read", "to_json", "write",
]

if TYPE_CHECKING:
    from .api import Result, Target, convert, default_targets, read, write
    from .batching import batch
    from .errors import ConvertError, InputError, UsageError
    from .model import Document, Meta, from_json, to_json
    from .transforms import TransformOptions


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'convert' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

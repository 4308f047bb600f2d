"""convert: scraped Chinese news texts → DOCX, PDF, EPUB and plain text.

    import convert
    doc = convert.read("seeds/000_e8dd265e510804e2.txt")
    convert.write(doc, "article.txt", to="txt", script="hans")
    convert.convert("seeds/000_e8dd265e510804e2.txt", to=["docx", "pdf:hans"], out_dir="out")

Only the public API lives here (``__all__``, which ``dir(convert)`` shows),
loaded on first use (PEP 562) so that ``docconv --help`` does not pay for the
pipeline's imports.  Writers and readers of other packages implement
``convert.Writer`` / ``convert.Reader`` and render with
``convert.writers.common`` (docs/plugins.md).
"""

from __future__ import annotations

from importlib import import_module

from ._version import __version__ as __version__

# typing is not imported to run: ``docconv --help`` needs nothing else here.
TYPE_CHECKING = False

_EXPORTS = {
    "read": "api", "write": "api", "convert": "api", "bundle": "api", "Target": "api", "Result": "api",
    "default_targets": "api",
    "batch": "batching", "iter_batch": "batching",
    "ConvertError": "errors", "InputError": "errors", "UsageError": "errors", "NotFoundError": "errors",
    "ReadError": "errors", "WriteError": "errors",
    "Document": "model", "Meta": "model", "from_json": "model", "to_json": "model",
    "TransformOptions": "transforms",
    "Writer": "registry", "BindingWriter": "registry", "Reader": "registry",
}

__all__ = [
    "BindingWriter", "ConvertError", "Document", "InputError", "Meta", "NotFoundError", "ReadError", "Reader",
    "Result", "Target", "TransformOptions", "UsageError", "WriteError", "Writer",
    "batch", "bundle", "convert", "default_targets", "from_json", "iter_batch", "read", "to_json", "write",
    "__version__",
]

if TYPE_CHECKING:
    from typing import Any

    from .api import Result, Target, bundle, convert, default_targets, read, write
    from .batching import batch, iter_batch
    from .errors import ConvertError, InputError, NotFoundError, ReadError, UsageError, WriteError
    from .model import Document, Meta, from_json, to_json
    from .registry import BindingWriter, Reader, Writer
    from .transforms import TransformOptions


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'convert' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # The public API only: not the submodules a first use imports, nor the
    # machinery of this module.
    return sorted(__all__)

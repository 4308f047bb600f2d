"""convert: scraped Chinese news texts → DOCX, PDF, EPUB and plain text.

    import convert
    doc = convert.read("seeds/article.txt")
    convert.write(doc, "article.txt", to="txt", script="hans")
    convert.convert("seeds/article.txt", to=["docx", "pdf:hans"], out_dir="out")

Only the public API lives here; nothing heavy is imported.
"""

from .api import Result, Target, batch, convert, default_targets, read, write
from .errors import ConvertError, InputError, UsageError
from .model import Document, Meta, from_json, to_json
from .transforms import TransformOptions

__version__ = "0.1.0"

__all__ = [
    "ConvertError", "Document", "InputError", "Meta", "Result", "Target", "TransformOptions",
    "UsageError", "batch", "convert", "default_targets", "from_json", "read", "to_json", "write",
]

"""The package's version, in a module of its own: batching writes it into
every manifest and report, and importing it from the package's front door
would make the front door part of an import circle."""

__version__ = "0.1.0"

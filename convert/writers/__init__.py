"""Built-in writers, a module or package a format, each registered as an
entry point; ``common`` and ``options`` are public for writers of other
packages (what every writer renders the same way, and how a writer declares
its options)."""

"""Built-in writers, one module a format; each is registered as an entry point."""

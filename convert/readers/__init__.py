"""Readers: bytes of one input kind → Document. One module a kind."""

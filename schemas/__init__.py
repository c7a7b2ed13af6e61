"""Pydantic models shared by every package: the contracts between layers. No I/O, no engines."""

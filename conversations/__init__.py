"""Conversations: what happens to our copies on the platforms, brought back home."""

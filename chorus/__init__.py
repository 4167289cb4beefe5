"""Chorus' own commands: the safe build (chorus.build) and its command line."""

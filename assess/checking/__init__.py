"""Checking loaded data: the validator."""

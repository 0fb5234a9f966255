"""Scoring: the rubric applied to the evidence on a date."""

"""Analyses built on the scorer: explanations, gaps, timelines, sensitivity,
agreement, scenarios and what-if, baselines."""

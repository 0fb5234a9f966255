"""Output: reports (render/), exports, JSON, terminal text and drift reports."""

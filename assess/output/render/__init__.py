"""Score frames -> report files. Renderers never open an evidence file: they
read the context that render.context builds from the scores."""

"""Where the data comes from and how it is read: the workspace, YAML in and
out, the typed model and the loader."""

"""Cross-cutting helpers every layer may use: errors, the message catalogue,
atomic writes, progress, file reading, build time."""

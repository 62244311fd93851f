"""The TUI's widgets: one per visualization, plus the console's pieces."""

// Filled in by its own issue; see ../shared/ARCHITECTURE.md.

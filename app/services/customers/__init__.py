"""Customer records: search, reveal, import, merge, sections and the demo base."""

"""Exchange with the city (spec zgb/1): packages, keys, the feedback importer and the report exporter."""

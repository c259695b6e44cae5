"""内部督办: the unit hands tasks to its sections' desks and takes their progress back (docs/section-exchange.md)."""

"""整改措施库: similar past problems suggest measures and node plans, offline."""

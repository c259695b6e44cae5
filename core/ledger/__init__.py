"""The ledger (整改台账): tasks, nodes, status, lights and queries."""

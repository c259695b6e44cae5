"""Qt item models over core queries."""

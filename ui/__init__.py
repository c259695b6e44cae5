"""The Qt front end: a thin layer over core/ (it holds no rule of its own)."""

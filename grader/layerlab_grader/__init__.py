"""layerlab's autograder: nbgrader-format lab notebooks for the Java kernel (see labs/FORMAT.md)."""

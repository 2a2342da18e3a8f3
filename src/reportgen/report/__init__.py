"""A paper's parts, narrative, key messages, targets, charts and the notebooks' API."""

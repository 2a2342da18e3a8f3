"""Running reports: one paper, batches, executors and kept kernels."""

"""The shell that produces reports: the notebook runner on fresh IPC kernels, the batch, its kernels, the exports."""

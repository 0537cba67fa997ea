"""PDF preview and signature placement (presentation only; rendering on a background thread)."""

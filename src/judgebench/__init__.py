"""Task namespace for `inspect eval judgebench/...` (the library lives in judgebench_inspect)."""

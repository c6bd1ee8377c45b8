"""recursor: Recursive Language Models."""
__version__ = "0.1.0"

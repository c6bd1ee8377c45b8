"""Traces: the event log every run leaves, and the tools that read it."""

from recursor.trace.writer import SCHEMA_VERSION, EventSink, TraceWriter, default_trace_dir

__all__ = ["SCHEMA_VERSION", "EventSink", "TraceWriter", "default_trace_dir"]

"""chithi: Vietnamese government directives in, per-agency task lists out.

This package holds what every stage shares: the typed model (:mod:`chithi.models`), the
error hierarchy (:mod:`chithi.errors`), settings (:mod:`chithi.settings`), text helpers
(:mod:`chithi.text`) and the command line (:mod:`chithi.cli`).
"""
__version__ = "0.1.0"

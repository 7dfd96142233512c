"""Lending's write paths: one function per desk action. Views, tasks and the demo call these."""

"""Trackers: one subpackage each, found by `agent.providers.registry`."""

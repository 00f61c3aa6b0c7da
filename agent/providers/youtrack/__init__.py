"""YouTrack (Cloud or Server)."""

from agent.providers.youtrack.provider import YouTrackProvider

PROVIDER = YouTrackProvider()

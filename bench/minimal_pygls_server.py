"""The smallest pygls server: the floor the agent's start-up is measured against."""

from pygls.lsp.server import LanguageServer

LanguageServer("minimal", "0").start_io()

"""policykg: a knowledge graph of a public policy's actors, actions and meetings."""

__version__ = "0.1.0"

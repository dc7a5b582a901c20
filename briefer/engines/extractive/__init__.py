"""The offline extractive engine: ranked body sentences for takeaways, rules for the rest."""

from briefer.engines.extractive.engine import MODEL_ID, ExtractiveEngine

__all__ = ["MODEL_ID", "ExtractiveEngine"]

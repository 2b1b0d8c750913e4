"""Location mentions (communes, départements, régions) from INSEE COG-based gazetteers."""

from pipeline.nlp.locations.locations import Place, lookup_places

__all__ = ["Place", "lookup_places"]

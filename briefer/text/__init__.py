"""What grounding and the offline engine both need to read news copy: words, titles, dates,
sentences, and who a quote's speaker is.

One vocabulary, so that the engine keeps only what grounding will accept (a quote whose
speaker grounding can see) and the two never drift apart by editing one copy of a list.
"""

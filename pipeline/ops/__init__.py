"""Operations: telling people a run failed, crash points for tests, Markdown summaries.
Used by every stage; imports none of them.
"""

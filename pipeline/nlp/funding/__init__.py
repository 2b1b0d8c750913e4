"""Funding mentions: amounts in a funding context, with funder, recipient and instrument."""

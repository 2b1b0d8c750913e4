"""Recipients of funding: candidate noun phrases around each amount, ranked by a linear model."""

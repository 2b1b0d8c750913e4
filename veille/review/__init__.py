"""The review desk: a small server-rendered web app over the review store (`veille review`)."""

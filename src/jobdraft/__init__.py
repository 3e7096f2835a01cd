"""jobdraft: from a rough job description to a published OpenTrain job post."""

__version__ = "0.1.0"

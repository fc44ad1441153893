"""Developer tools that run the app from outside (not shipped in the bundle)."""

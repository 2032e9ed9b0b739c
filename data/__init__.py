"""The app's read-only data layer: the indicator catalogue and the current release."""

"""Flask-side pieces of the app: URL state parsing, HTTP status, static routes, pre-rendering."""

"""The API's routes, one module per concern; each only parses, calls the service and translates."""

"""The faces: each only translates between its medium (terminal, HTTP, chat) and the service."""

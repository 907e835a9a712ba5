"""The assistant: retrieval, offline answers, conversation, and the faces (CLI, HTTP)."""

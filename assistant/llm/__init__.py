"""LLM mode: an agent over any OpenAI-compatible endpoint (``agent``, the only module that imports
LangChain), the core's functions as its tools (``tools``, ``evidence``), fault handling (``faults``),
languages (``language``) and the answerer behind the Answerer seam (``answerer``)."""

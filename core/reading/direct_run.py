"""Run the reading pipeline's graph once, in topological order, without Haystack's scheduler.

Why: ``Pipeline.run`` is built for loops, branches that wait on each other and tracing. For
each step it re-ranks every component of the graph (the reading pipeline has 16, most of them
converters that never run for a given file) and deep-copies each component's inputs. Over the
generated drop that costs about 3.5 ms of CPU a document in a reader process, as much as
cleaning, fields and the router together. Our graph is a DAG in which every output goes to one
receiver and nobody reads an input again after passing it on, so neither the re-ranking nor the
copies can change what comes out.

The contract stays Haystack's: the same ``Pipeline`` object (built and connected by
``core.reading.pipelines``, checked by Haystack when connected), components called through their
``run`` with the sockets they declare, a component's exception wrapped in the same
``PipelineRuntimeError`` (so a quarantine reason reads as before, and a ``MemoryError`` inside a
component is reported as before), and the result shaped as ``Pipeline.run`` shapes it (per
component, the outputs no other component consumes; a component that did not run is absent).
``tests/core/reading/test_direct_run.py`` holds both runs equal for every route. A graph this runner
cannot treat as such (a cycle, an output fanned out, a type conversion on a connection, a
component left half-fed) is refused when the runner is built, so the reader falls back to
``Pipeline.run``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx
from haystack import Pipeline
from haystack.core.errors import PipelineRuntimeError


class UnsupportedGraph(ValueError):
    """The pipeline's graph is not a DAG of single-receiver connections without conversions."""


@dataclass(frozen=True)
class _Edge:
    sender: str
    output: str
    receiver: str
    input: str
    lazy_variadic: bool


class DirectRun:
    """Runs ``pipeline`` for one set of entry inputs, each component at most once."""

    def __init__(self, pipeline: Pipeline) -> None:
        graph = pipeline.graph
        if not networkx.is_directed_acyclic_graph(graph):
            raise UnsupportedGraph("the graph has a cycle")
        self._order: list[str] = list(networkx.topological_sort(graph))
        self._instances = {name: graph.nodes[name]["instance"] for name in self._order}
        self._mandatory: dict[str, set[str]] = {}
        for name in self._order:
            sockets = graph.nodes[name]["input_sockets"]
            self._mandatory[name] = {socket.name for socket in sockets.values() if socket.is_mandatory}
        self._outgoing: dict[str, list[_Edge]] = {name: [] for name in self._order}
        fed: set[tuple[str, str]] = set()
        for sender, receiver, data in graph.edges(data=True):
            if data.get("conversion_strategy") is not None:
                raise UnsupportedGraph(f"{sender} → {receiver} converts its value")
            edge = _Edge(
                sender, data["from_socket"].name, receiver, data["to_socket"].name,
                data["to_socket"].is_lazy_variadic,
            )
            if (sender, edge.output) in fed:
                raise UnsupportedGraph(f"{sender}.{edge.output} goes to more than one receiver")
            if data["to_socket"].is_greedy:
                raise UnsupportedGraph(f"{receiver}.{edge.input} is greedy variadic")
            fed.add((sender, edge.output))
            self._outgoing[sender].append(edge)

    def run(self, data: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """The outputs ``Pipeline.run(data)`` would return, for a graph accepted by the constructor."""
        inputs: dict[str, dict[str, Any]] = {name: dict(values) for name, values in data.items()}
        result: dict[str, dict[str, Any]] = {}
        for name in self._order:
            received = inputs.get(name)
            if not received:
                continue  # nothing was routed here: the component does not run
            missing = self._mandatory[name] - received.keys()
            if missing:
                raise UnsupportedGraph(f"{name} received some inputs but not {sorted(missing)}")
            instance = self._instances[name]
            try:
                outputs = instance.run(**received)
            except PipelineRuntimeError:
                raise
            except Exception as error:  # wrapped as Pipeline.run wraps it: the reader's reasons stay the same
                raise PipelineRuntimeError.from_exception(name, instance.__class__, error) from error
            if not isinstance(outputs, Mapping):
                raise PipelineRuntimeError.from_invalid_output(name, instance.__class__, outputs)
            consumed = set()
            for edge in self._outgoing[name]:
                if edge.output not in outputs:
                    continue
                consumed.add(edge.output)
                target = inputs.setdefault(edge.receiver, {})
                if edge.lazy_variadic:
                    target.setdefault(edge.input, []).append(outputs[edge.output])
                else:
                    target[edge.input] = outputs[edge.output]
            left = {socket: value for socket, value in outputs.items() if socket not in consumed}
            if left:
                result[name] = left
        return result

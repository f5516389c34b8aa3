#!/usr/bin/env python3
"""Benchmark: parse every template of the corpus charts with chartfix.go.template, as Helm's engine does.

Each chart (with its subcharts, archives included) is loaded once, untimed; then every run parses
each chart's templates into one TemplateSet with the engine's function map, in Helm's parse order.
The parser's caches are emptied before each chart, so every chart is parsed as in a fresh process.
Prints the median CPU time of --runs runs (5) and how many templates and bytes each run parses.
A script, not a test: timings depend on the machine.

    .venv/bin/python scripts/bench_parse.py [--corpus DIR] [--runs N] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "charts"
HELM_MAJOR = 4


def corpus_templates(corpus: Path) -> list[dict[str, str]]:
    """Per chart that loads: its templates' full names and texts, as the engine collects them."""
    from chartfix.errors import ChartfixError
    from chartfix.helm.engine import _decode
    from chartfix.helm.loader import load_chart

    charts = []
    for path in sorted(p for p in corpus.iterdir() if (p / "Chart.yaml").is_file()):
        try:
            chart = load_chart(path, HELM_MAJOR)
        except ChartfixError:
            continue
        texts: dict[str, str] = {}
        pending = [chart]
        while pending:
            current = pending.pop()
            pending.extend(current.dependencies)
            full_path = current.chart_full_path()
            for template in current.templates:
                texts[f"{full_path}/{template.name}"] = _decode(template.data)
        charts.append(texts)
    return charts


def helm_funcs() -> dict:
    """The engine's function map with include, tpl, required and fail, as parsing sees it."""
    from chartfix.go.template import TemplateSet
    from chartfix.helm.engine import Engine
    from chartfix.helm.funcmap import function_map

    engine = Engine(function_map(HELM_MAJOR), helm_major=HELM_MAJOR)
    # Bound to a set of their own: the engine's binding refers to the set it runs in, a cycle that
    # would leave each chart's trees to the cyclic garbage collector, which is not parsing's cost.
    engine._bind_helm_funcs(TemplateSet(engine.funcs), included={})
    return engine.funcs


def parse_all(charts: list[dict[str, str]], funcs: dict) -> int:
    """Parses every chart's templates; returns how many failed to parse."""
    from chartfix.errors import TemplateSyntaxError
    from chartfix.go.template import TemplateSet, parser
    from chartfix.helm.engine import TPL_TEMPLATE_NAME, parse_order

    failures = 0
    for texts in charts:
        parser._cache.clear()
        parser._by_text.clear()
        template_set = TemplateSet(funcs, go_version=(1, 25), root_name=TPL_TEMPLATE_NAME)
        for name in parse_order(list(texts)):
            try:
                template_set.parse(name, texts[name])
            except TemplateSyntaxError:
                failures += 1
    return failures


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    arguments.add_argument("--runs", type=int, default=5)
    arguments.add_argument("--profile", help="write a cProfile of one more run to this file")
    options = arguments.parse_args()

    charts = corpus_templates(options.corpus)
    count = sum(len(texts) for texts in charts)
    size = sum(
        len(text.encode("utf-8", errors="surrogateescape")) for texts in charts for text in texts.values()
    )
    funcs = helm_funcs()
    failures = parse_all(charts, funcs)  # warm-up: imports, regular expressions
    times = []
    for _ in range(options.runs):
        start = time.process_time()
        parse_all(charts, funcs)
        times.append(time.process_time() - start)
    print(f"{len(charts)} charts, {count} templates, {size} bytes, {failures} with syntax errors")
    print(f"parse CPU time: median {statistics.median(times):.3f} s of {options.runs} runs")
    print("runs: " + " ".join(f"{t:.3f}" for t in times))
    if options.profile:
        cProfile.runctx(
            "parse_all(charts, funcs)", globals(), {"charts": charts, "funcs": funcs}, options.profile
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

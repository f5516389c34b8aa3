"""Template rendering as Helm's pkg/engine does it.

All templates of a chart and its subcharts are parsed into one template set (deepest paths first, so
a parent's `define` wins over a subchart's), then every non-partial template is executed with the
values scoped to its own chart. `include` and `tpl` are bound to the set, with Helm's nesting limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from chartfix.errors import ChartFailError, LimitExceeded, Position, TemplateExecError, TemplateSyntaxError
from chartfix.go.strconv import quote
from chartfix.go.template import TemplateSet
from chartfix.go.types import GoFunc, GoFuncError, GoMap, GoSignature
from chartfix.helm.builtin_objects import Files, chart_object
from chartfix.helm.chart import Chart
from chartfix.records import record

# Helm: pkg/engine/engine.go recursionMaxNums.
INCLUDE_NESTING_LIMIT = 1000
# Helm names the root of its template set "gotpl", and `tpl` parses its text under that name.
TPL_TEMPLATE_NAME = "gotpl"
_WARN_START = "HELM_ERR_START"
_WARN_END = "HELM_ERR_END"
_WARN_RE = re.compile(re.escape(_WARN_START) + "(.*)" + re.escape(_WARN_END), re.DOTALL)


@record
class Renderable:
    """One template file to parse, with the data its own chart's scope gives it."""

    name: str  # full template name, e.g. "top/charts/sub/templates/a.yaml"
    text: str
    data: dict[str, Any]
    base_path: str
    chart: Chart


def collect_templates(chart: Chart, top_data: dict[str, Any], helm_major: int) -> dict[str, Renderable]:
    """Helm's allTemplates/recAllTpls: every template of the chart tree with its scoped data."""
    templates: dict[str, Renderable] = {}
    _collect(chart, top_data, templates, helm_major)
    return templates


def _collect(
    chart: Chart, parent_data: dict[str, Any], out: dict[str, Renderable], helm_major: int
) -> dict[str, Any]:
    subcharts: dict[str, Any] = {}
    data: dict[str, Any] = {
        "Chart": chart_object(chart, helm_major),
        "Files": Files(chart.files),
        "Release": parent_data.get("Release"),
        "Capabilities": parent_data.get("Capabilities"),
        "Values": {},
        "Subcharts": subcharts,
    }
    if chart.parent is None:
        data["Values"] = parent_data.get("Values")
    else:
        scoped = parent_data.get("Values", {}).get(chart.name()) if parent_data.get("Values") else None
        if isinstance(scoped, dict):
            data["Values"] = scoped
    # .Values has Helm's named map type: typeOf prints it, reflect.DeepEqual and dig's type
    # assertion to map[string]interface {} tell it apart
    if isinstance(data["Values"], dict) and not isinstance(data["Values"], GoMap):
        data["Values"] = GoMap(data["Values"], "chartutil.Values" if helm_major < 4 else "common.Values")
    for child in chart.dependencies:
        subcharts[child.name()] = _collect(child, data, out, helm_major)
    full_path = chart.chart_full_path()
    for template in chart.templates:
        if chart.is_library() and not _basename(template.name).startswith("_"):
            continue
        name = f"{full_path}/{template.name}"
        out[name] = Renderable(
            name=name,
            text=_decode(template.data),
            data=data,
            base_path=f"{full_path}/templates",
            chart=chart,
        )
    return data


def parse_order(names: list[str]) -> list[str]:
    """Helm's sortTemplates: more path segments first; equal depth in reverse lexical order."""
    return sorted(names, key=lambda n: (n.count("/"), n), reverse=True)


class Engine:
    """Parses and executes one chart tree's templates."""

    def __init__(
        self, funcs: dict[str, GoFunc], strict: bool = False, lint_mode: bool = False, helm_major: int = 4
    ) -> None:
        self.funcs = dict(funcs)
        self.strict = strict
        self.lint_mode = lint_mode
        # Helm 4.1 is built with Go 1.25, whose comparison errors name the types; Helm 3.17 with 1.23.
        self.go_version = (1, 25) if helm_major >= 4 else (1, 23)
        self.helm_major = helm_major
        # Per rendered file: [(offset in its output, template node that produced it)], for positions.
        self.origins: dict[str, list[tuple[int, Any]]] = {}
        self.template_set: TemplateSet | None = None  # the parsed templates of the last render

    def render(
        self,
        templates: dict[str, Renderable],
        *,
        parsed: TemplateSet | None = None,
        reads: Any = None,
        reuse: tuple[dict[str, str], dict[str, list], Callable[[str], bool]] | None = None,
    ) -> dict[str, str]:
        """Returns the output of every non-partial template, keyed by full template name.

        parsed: the same templates parsed before (by another engine), not parsed again.
        reads: a chartfix.helm.reuse.ReadLog to record what each template reads.
        reuse: (outputs, origins, stale) of an earlier render of the same templates: a template
        that is not `stale(name)` takes its earlier output instead of being executed.
        """
        order = parse_order(list(templates))
        if parsed is not None:
            template_set = parsed.with_funcs(dict(self.funcs))
            self._bind_helm_funcs(template_set, included={})
        else:
            template_set = TemplateSet(
                self.funcs,
                missing_key="error" if self.strict else "zero",
                go_version=self.go_version,
                root_name=TPL_TEMPLATE_NAME,
            )
            self._bind_helm_funcs(template_set, included={})
            for name in order:
                try:
                    template_set.parse(name, templates[name].text)
                except TemplateSyntaxError as error:
                    raise helm_parse_error(error, name) from None
        if reads is not None:
            template_set.track_reads(reads)
            self._bind_helm_funcs(template_set, included={})  # include and tpl run the tracked set
        self.template_set = template_set
        rendered: dict[str, str] = {}
        for name in order:
            if _basename(name).startswith("_"):
                continue
            if reuse is not None and not reuse[2](name):
                rendered[name] = reuse[0][name]
                self.origins[name] = reuse[1][name]
                continue
            if reads is not None:
                reads.start(name)
            renderable = templates[name]
            renderable.data["Template"] = {"Name": name, "BasePath": renderable.base_path}
            try:
                output, origins = template_set.execute_traced(name, renderable.data, _drop_no_value)
            except TemplateExecError as error:
                raise helm_exec_error(error, name, self.helm_major) from None
            except LimitExceeded as error:
                raise _limit_in_template(error, name) from None
            rendered[name] = output
            self.origins[name] = origins
        return rendered

    def _bind_helm_funcs(self, template_set: TemplateSet, included: dict[str, int]) -> None:
        funcs = template_set.funcs
        funcs["include"] = GoFunc(
            "include",
            self._include(template_set, included),
            GoSignature(("string", "interface {}"), returns_error=True),
        )
        funcs["tpl"] = GoFunc(
            "tpl",
            self._tpl(template_set, included),
            GoSignature(("string", "interface {}"), returns_error=True),
        )
        funcs["required"] = GoFunc(
            "required", self._required, GoSignature(("string", "interface {}"), returns_error=True)
        )
        funcs["fail"] = GoFunc("fail", self._fail, GoSignature(("string",), returns_error=True))

    def _include(self, template_set: TemplateSet, included: dict[str, int]) -> Callable[[str, Any], str]:
        def include(name: str, data: Any) -> str:
            depth = included.get(name, 0)
            if depth > INCLUDE_NESTING_LIMIT:
                raise GoFuncError(
                    f"rendering template has a nested reference name: {name}: unable to execute template"
                )
            included[name] = depth + 1
            try:
                return template_set.execute(name, data)
            finally:
                included[name] -= 1

        return include

    def _tpl(self, parent: TemplateSet, included: dict[str, int]) -> Callable[[str, Any], str]:
        def tpl(text: str, data: Any) -> str:
            template_set = parent.clone()
            template_set.funcs = dict(parent.funcs)
            self._bind_helm_funcs(template_set, included)
            name = TPL_TEMPLATE_NAME
            try:
                tree = template_set.parse(name, text)
            except TemplateSyntaxError as error:
                raise GoFuncError(f"cannot parse template {quote(text)}: {error.go_message}") from None
            try:
                # Helm: t.New(parent.Name()).Parse(text) then t.Execute: the tree just parsed runs
                # even when it is empty and the set keeps an older "gotpl" (tpl of "" inside tpl).
                output = template_set.execute(name, data, tree)
            except TemplateExecError as error:
                raise GoFuncError(
                    f"error during tpl function execution for {quote(text)}: {error.go_message}"
                ) from None
            return output.replace("<no value>", "")

        return tpl

    def _required(self, message: str, value: Any) -> Any:
        if value is None or value == "" and isinstance(value, str):
            if self.lint_mode:
                return ""
            raise GoFuncError(_WARN_START + message + _WARN_END)
        return value

    def _fail(self, message: str) -> str:
        if self.lint_mode:
            return ""
        raise GoFuncError(_WARN_START + message + _WARN_END)


def helm_parse_error(error: TemplateSyntaxError, filename: str) -> TemplateSyntaxError:
    """Helm's cleanupParseError: `parse error at (LOCATION): MESSAGE`."""
    tokens = error.go_message.split(": ")
    if len(tokens) == 1:
        message = f"parse error in ({filename}): {error.go_message}"
    else:
        message = f"parse error at ({tokens[1]}): {tokens[-1]}"
    result = TemplateSyntaxError(message, error.position, located=True)
    result.go_message = error.go_message
    return result


def helm_exec_error(error: TemplateExecError, filename: str, helm_major: int = 4) -> TemplateExecError:
    """Helm's reformatExecErrorMsg: `fail`/`required` become `execution error at (LOC): MSG`; Helm 4
    also turns Go's one-line chain (`template: LOC: executing ...: error calling include: template:
    ...`) into a trace, one `LOC / executing ... at <...>: / message` block per template."""
    message = error.go_message
    chain = getattr(error, "chain", None)
    tokens = message.split(": ", 2)
    kind = TemplateExecError
    if chain is None:
        pass  # not a text/template ExecError: Helm passes it through
    elif len(tokens) != 3:
        message = f"execution error in ({filename}): {message}"
    elif warned := _WARN_RE.search(tokens[2]):
        message = f"execution error at ({tokens[1]}): {warned.group(1)}"
        kind = ChartFailError
    elif helm_major >= 4:
        message = _exec_error_trace(chain) or message
    result = kind(message, error.position, located=True)
    result.go_message = error.go_message
    return result


def _exec_error_trace(chain: list[str]) -> str | None:
    """Helm 4's trace of an error chain (texts as errors.Unwrap yields them), or None where one of
    them is not a text/template error (Helm then prints the error unchanged)."""
    blocks: list[str] = []
    last: tuple[str, str, str] | None = None
    for text in chain:
        entry = _trace_entry(text)
        if entry is None:
            return None
        if entry != last:
            location, executing, detail = entry
            blocks.append(
                (f"{location}\n  " if location else "")
                + (f"{executing}\n    " if executing else "")
                + (f"{detail}\n" if detail else "")
            )
            last = entry
    return "".join(blocks).strip()


def _trace_entry(text: str) -> tuple[str, str, str] | None:
    """Helm 4's parseTemplateExecErrorString: (location, `executing "NAME" at <NODE>:`, message)."""
    if not text.startswith("template: "):
        return None
    rest = text[len("template: ") :]
    if rest.startswith("no template "):
        return ("", "", text)
    at = rest.find(": executing ")
    if at != -1:
        after = rest[at + len(": executing ") :]
        close = after.find('"', 1) if after.startswith('"') else -1
        if close != -1 and after[close + 1 :].startswith(" at <"):
            after_at = after[close + 1 + len(" at <") :]
            end = after_at.find(">: ")
            if end != -1:
                detail = _before_next_template(after_at[end + len(">: ") :])
                return (rest[:at], f'executing "{after[1:close]}" at <{after_at[:end]}>:', detail)
    sep = rest.rfind(": ")
    if sep == -1:
        return None
    return (rest[:sep], "", _before_next_template(rest[sep + 2 :]))


def _before_next_template(message: str) -> str:
    cut = message.find(" template:")
    return message if cut == -1 else message[:cut]


def _limit_in_template(error: LimitExceeded, name: str) -> LimitExceeded:
    """A limit hit inside text given to `tpl` names only "gotpl": name the template file too."""
    if error.position is None or error.position.file != TPL_TEMPLATE_NAME:
        return error
    return LimitExceeded(f"{error.message} (in text passed to tpl, at {error.position})", Position(name))


def _drop_no_value(piece: str) -> str:
    """Helm removes every `<no value>` Go prints for missing values. Done per output piece, which
    equals Helm's replacement on the whole text unless the marker were split across pieces (a text
    node ending in `<no` followed by a printed `value>`), which no real template does."""
    return piece.replace("<no value>", "")


def _basename(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def _decode(data: bytes) -> str:
    # Go templates are byte strings; undecodable bytes pass through unchanged (see render output).
    return data.decode("utf-8", errors="surrogateescape")

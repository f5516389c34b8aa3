"""Rendered documents map back to the template line that produced their `kind:`."""

from __future__ import annotations

from pathlib import Path

from chartfix.analysis.objects import build_model
from chartfix.helm.render import render_chart

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: pos\nversion: 0.1.0\n",
    "templates/_helpers.tpl": '{{- define "pos.cm" }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-helper\n{{- end }}\n',
    "templates/direct.yaml": "# a comment\n{{- if true }}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: direct\n{{- end }}\n",
    "templates/included.yaml": 'x: 1\n---\n{{ include "pos.cm" . }}\n',
    "templates/loop.yaml": "{{- range $i := until 2 }}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-{{ $i }}\n{{- end }}\n",
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: sub\n",
}


def _chart(tmp_path: Path) -> Path:
    for name, text in CHART.items():
        path = tmp_path / "pos" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "pos"


def test_positions_follow_execution(tmp_path):
    model = build_model(render_chart(_chart(tmp_path)))
    where = {o.name: str(o.position) for o in model.objects}
    assert where["direct"] == "templates/direct.yaml:4:1"  # text inside an if
    assert where["from-helper"] == "templates/included.yaml:3:4"  # the include call printing it
    assert where["sub"] == "charts/sub/templates/svc.yaml:2:1"  # subchart, chart-relative path
    assert where["sa-0"] == where["sa-1"] == "templates/loop.yaml:4:1"  # every iteration: the loop body

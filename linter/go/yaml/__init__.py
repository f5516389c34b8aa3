"""YAML and JSON as Helm reads and writes them through sigs.k8s.io/yaml, go-yaml v2 and v3.

resolve: scalar resolution; parse: text to nodes; decode: nodes to values (and typed structs);
gojson: encoding/json pieces; keys: go-yaml's key order; emit: the go-yaml emitter; errors.
"""

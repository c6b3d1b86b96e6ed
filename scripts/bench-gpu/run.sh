#!/usr/bin/env bash
# Runs the packed GPU benchmark (scripts/bench-gpu/pack.sh) on x86-64 Linux without Node or
# network: unpacks Node + dawn.node, makes the Vulkan loader (and what NVIDIA's Vulkan driver links
# against) loadable when the system lacks them, finds the NVIDIA Vulkan ICD, runs bench-gpu.mjs and,
# when packed, bench-gpu-baseline.mjs on the same GPU.
#
#   bash .devicepack/run.sh [bench flags, e.g. --quick | --iterations 100 | --no-parity]
#
# With $OUT set, writes $OUT/bench-gpu.json, $OUT/bench-gpu-baseline.json, $OUT/ort-greedy.json and
# $OUT/bench-gpu.log. The exit status is the benchmark's (the ORT probe is reported, never fatal).
# Environment: BENCH_GPU_RUNTIME (unpack folder, default $TMPDIR/logitscope-bench-gpu),
# BENCH_GPU_SYSTEM_INSTALL=1 (dpkg -x every deb into / and run ldconfig instead, as root; by default
# root gets only the GLVND + Vulkan loader set in /; 0 = nothing into /),
# BENCH_GPU_BASELINE_PARITY=1 (also run the parity sweep with the baseline bundle),
# BENCH_GPU_ORT=0 (skip the onnxruntime-web greedy probe), BENCH_GPU_ORT_TOKENS (default 128),
# VK_DRIVER_FILES / VK_ICD_FILENAMES (a Vulkan driver manifest; found automatically for NVIDIA).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
R=${BENCH_GPU_RUNTIME:-${TMPDIR:-/tmp}/logitscope-bench-gpu}
OUTDIR=${OUT:-}
say() { echo "[run.sh] $*"; }

main() {
say "pack: $(tr '\n' ';' < "$HERE/PACK-INFO.txt" 2>/dev/null)"
say "host: $(uname -srm); $(ldd --version 2>/dev/null | head -n1)"
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if [ -n "$glibc" ] && [ "$(printf '%s\n2.34\n' "$glibc" | sort -V | head -n1)" != "2.34" ]; then
  say "warning: glibc $glibc; dawn.node needs 2.34 or newer"
fi
command -v nvidia-smi >/dev/null && nvidia-smi -L 2>/dev/null | sed 's/^/[run.sh] /'

# 1. Node + dawn.node, unpacked once per payload.
if ! cmp -s "$HERE/payload.sha256" "$R/.payload.sha256" 2>/dev/null; then
  rm -rf "$R"
  mkdir -p "$R"
  if command -v xz >/dev/null; then
    xz -dc "$HERE/payload.tar.xz" | tar -x -C "$R" || { say "unpacking payload.tar.xz failed"; return 3; }
  elif command -v python3 >/dev/null; then
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$HERE/payload.tar.xz" "$R" || { say "unpacking failed"; return 3; }
  else
    say "need xz or python3 to unpack payload.tar.xz"
    return 3
  fi
  cp "$HERE/payload.sha256" "$R/.payload.sha256"
fi
NODE="$R/bin/node"
"$NODE" --version >/dev/null || { say "the packed node does not run here (glibc >= 2.28 needed)"; return 3; }
mkdir -p -m 700 "$R/xdg"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$R/xdg}

# 2. Libraries from debs/: only sonames the system lacks are made visible (LD_LIBRARY_PATH).
extract_deb() { # deb dest
  if command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$1" "$2"
  else
    python3 - "$1" "$2" <<'PY'
import io, sys, tarfile
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'!<arch>\n'
pos = 8
while pos < len(data):
    name = data[pos:pos + 16].decode().strip().rstrip('/')
    size = int(data[pos + 48:pos + 58].decode().strip())
    body = data[pos + 60:pos + 60 + size]
    if name.startswith('data.tar'):
        tarfile.open(fileobj=io.BytesIO(body)).extractall(sys.argv[2])
    pos += 60 + size + (size & 1)
PY
  fi
}
# As root, the GLVND + Vulkan loader set goes into / (measured: on the lent H200 machines NVIDIA's
# ICD failed "Could not get 'vkCreateInstance'" with a private loader copy and worked this way).
if [ "$(id -u)" = 0 ] && [ "${BENCH_GPU_SYSTEM_INSTALL:-}" != 0 ] && command -v dpkg >/dev/null; then
  for p in libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2; do
    for f in "$HERE"/debs/${p}_*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done
  done
  ldconfig
  say "installed the GLVND + Vulkan loader packages into / (BENCH_GPU_SYSTEM_INSTALL=0 to skip)"
fi
if [ "${BENCH_GPU_SYSTEM_INSTALL:-}" = 1 ]; then
  for f in "$HERE"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
  say "installed $(ls "$HERE"/debs | tr '\n' ' ')into /"
else
  sysroot="$R/sysroot"
  mkdir -p "$sysroot" "$R/lib"
  for f in "$HERE"/debs/*.deb; do [ -e "$f" ] && extract_deb "$f" "$sysroot"; done
  cache=$(ldconfig -p 2>/dev/null || true)
  added=()
  for lib in "$sysroot"/usr/lib/x86_64-linux-gnu/lib*.so.* "$sysroot"/lib/x86_64-linux-gnu/lib*.so.*; do
    [ -e "$lib" ] || continue
    name=$(basename "$lib")
    [[ "$name" =~ ^lib.*\.so\.[0-9]+$ ]] || continue # sonames only (libfoo.so.1)
    if grep -q "[[:space:]]$name[[:space:]]" <<< "$cache"; then continue; fi
    found=
    IFS=: read -ra dirs <<< "${LD_LIBRARY_PATH:-}:/usr/local/nvidia/lib64:/usr/local/nvidia/lib"
    for d in "${dirs[@]}"; do [ -n "$d" ] && [ -e "$d/$name" ] && found=1; done
    [ -n "$found" ] && continue
    ln -sf "$lib" "$R/lib/$name"
    added+=("$name")
  done
  say "carried libraries used: ${added[*]:-none (the system has them all)}"
  export LD_LIBRARY_PATH="$R/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && case ":$LD_LIBRARY_PATH:" in *":$d:"*) ;; *) export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$d" ;; esac
done

# 3. The NVIDIA Vulkan ICD: a manifest on disk, else one written for libGLX_nvidia.so.0.
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  icd=
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/vulkan/icd.d/nvidia_icd.json \
    /usr/local/nvidia/etc/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
    /etc/vulkan/icd.d/nvidia_icd.x86_64.json /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json; do
    [ -f "$f" ] && { icd=$f; break; }
  done
  if [ -z "$icd" ]; then
    glx=
    for d in /usr/local/nvidia/lib64 /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
      [ -e "$d/libGLX_nvidia.so.0" ] && { glx="$d/libGLX_nvidia.so.0"; break; }
    done
    [ -z "$glx" ] && glx=$(ldconfig -p 2>/dev/null | awk '/libGLX_nvidia.so.0 /{print $NF; exit}')
    if [ -n "$glx" ]; then
      icd="$R/nvidia_icd.json"
      printf '{"file_format_version":"1.0.1","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$glx" > "$icd"
      say "no NVIDIA Vulkan manifest found; wrote $icd for $glx"
    fi
  fi
  if [ -n "$icd" ]; then
    export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"
  else
    say "no NVIDIA Vulkan driver found; the Vulkan loader's default search decides"
  fi
fi
manifest=${VK_DRIVER_FILES:-${VK_ICD_FILENAMES:-}}
if [ -n "$manifest" ]; then
  say "Vulkan ICD: $manifest"
  icdlib=$(sed -n 's/.*"library_path"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "${manifest%%:*}" 2>/dev/null | head -n1)
  if [ -n "$icdlib" ]; then
    case "$icdlib" in /*) p=$icdlib ;; ./*) p="$(dirname "${manifest%%:*}")/${icdlib#./}" ;; *) p=$(ldconfig -p | awk -v n="$icdlib" '$1==n{print $NF; exit}') ;; esac
    missing=$([ -n "$p" ] && [ -e "$p" ] && ldd "$p" 2>/dev/null | grep 'not found' | tr -s ' \t' ' ')
    say "ICD library: ${p:-$icdlib (not found)}${missing:+; missing:$missing}"
  fi
fi

# 4. Run: this revision's kernels, then the baseline's when packed.
rm -f "$R"/*.mjs
tar -xf "$HERE/bundles.tar" -C "$R" || { say "unpacking bundles.tar failed"; return 3; }
status=0
run_bundle() { # bundle label json extra...
  local bundle=$1 label=$2 json=$3
  shift 3
  local args=(--label "$label")
  [ -n "$OUTDIR" ] && args+=(--json "$OUTDIR/$json")
  say "== $label: node $bundle ${args[*]} $*"
  "$NODE" "$R/$bundle" "${args[@]}" "$@"
  local rc=$?
  say "$label exited $rc"
  return $rc
}
run_bundle bench-gpu.mjs current bench-gpu.json "$@" || status=$?
if [ "$status" -eq 2 ]; then
  say "no usable adapter / WebGPU error: Vulkan loader diagnostics follow"
  VK_LOADER_DEBUG=error,warn,driver "$NODE" --input-type=module -e "
    import { create, globals } from '$R/node_modules/webgpu/index.js';
    Object.assign(globalThis, globals);
    const a = await create([]).requestAdapter();
    console.log('adapter:', a ? JSON.stringify(a.info) : null);
    process.exit(0);" 2>&1 | tail -n 60
fi
if [ -f "$R/bench-gpu-baseline.mjs" ]; then
  extra=()
  [ -z "${BENCH_GPU_BASELINE_PARITY:-}" ] && extra+=(--no-parity)
  rc=0
  run_bundle bench-gpu-baseline.mjs baseline bench-gpu-baseline.json "$@" ${extra[@]+"${extra[@]}"} || rc=$?
  [ "$status" -eq 0 ] && status=$rc
fi
if [ -f "$R/ort-greedy.mjs" ] && [ "${BENCH_GPU_ORT:-1}" != 0 ]; then
  args=(--model "$R/models/stories260k" --tokens "${BENCH_GPU_ORT_TOKENS:-128}")
  [ -n "$OUTDIR" ] && args+=(--json "$OUTDIR/ort-greedy.json")
  say "== onnxruntime-web greedy (stories260K): node ort-greedy.mjs ${args[*]}"
  "$NODE" "$R/ort-greedy.mjs" "${args[@]}"
  say "ort-greedy exited $? (not counted in the exit status)"
fi
return "$status"
}

if [ -n "$OUTDIR" ]; then
  mkdir -p "$OUTDIR"
  main "$@" 2>&1 | tee -a "$OUTDIR/bench-gpu.log"
  exit "${PIPESTATUS[0]}"
fi
main "$@"

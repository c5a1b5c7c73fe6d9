# Finds a JDK 21 or newer and exports JAVA_HOME, JAVA (its java binary) and JAVA_FEATURE (its version: 21, 25...).
# POSIX sh; meant to be sourced:  . bin/java-env.sh || exit 1
# Used by the Makefile, mvnw, bin/gateway, bin/gatewayctl and .ci/run.
#
# Search order, first match wins:
#   1. $JAVA_HOME, if it is a JDK 21+
#   2. the java on PATH (symlinks followed to its JDK), if 21+
#   3. the newest JDK 21+ under each directory of GATEWAY_JVM_DIRS
#      (colon-separated; default /usr/lib/jvm:/usr/local/lib/jvm:/opt/java)
# A "JDK" needs bin/java and bin/javac, since Maven must compile with it.
# On success $JAVA_HOME/bin is also put first on PATH, so anything started
# from here (Maven, tests that spawn java) uses the same JDK.
# On failure: one line on stderr, and `return 1`.

_je_min=21

# Prints the feature version (17, 21, 25, ...) of the JDK at $1; nothing if $1
# is not a JDK. Reads the release file to avoid starting a JVM per candidate.
_je_version() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  _je_v=
  if [ -r "$1/release" ]; then
    _je_v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  fi
  if [ -z "$_je_v" ]; then
    # No release file: ask java. First line looks like: openjdk version "21.0.2" ...
    _je_v=$("$1/bin/java" -version 2>&1 | sed -n '1s/^[^"]*"\([0-9]*\).*/\1/p')
  fi
  # "1.8.0" yields 1, which is simply too old.
  echo "$_je_v"
}

# True if $1 is a JDK of version >= _je_min.
_je_ok() {
  _je_ver=$(_je_version "$1")
  [ -n "$_je_ver" ] && [ "$_je_ver" -ge "$_je_min" ]
}

_je_found=
_je_dirs=${GATEWAY_JVM_DIRS-/usr/lib/jvm:/usr/local/lib/jvm:/opt/java}

if [ -n "${JAVA_HOME:-}" ]; then
  if _je_ok "$JAVA_HOME"; then
    _je_found=${JAVA_HOME%/}
  else
    echo "note: ignoring JAVA_HOME=$JAVA_HOME (not a JDK $_je_min or newer); looking elsewhere" >&2
  fi
fi

if [ -z "$_je_found" ] && _je_java=$(command -v java 2>/dev/null); then
  # /usr/bin/java is usually a chain of symlinks into the real JDK.
  _je_java=$(readlink -f "$_je_java" 2>/dev/null || echo "$_je_java")
  _je_home=${_je_java%/bin/java}
  if _je_ok "$_je_home"; then _je_found=$_je_home; fi
fi

if [ -z "$_je_found" ]; then
  _je_best=0
  _je_ifs=$IFS
  # The directory scan needs globbing even if the caller ran `set -f`.
  case $- in *f*) _je_noglob=1; set +f ;; *) _je_noglob= ;; esac
  IFS=:
  for _je_dir in $_je_dirs; do
    IFS=$_je_ifs
    for _je_home in "$_je_dir"/*/; do
      _je_home=${_je_home%/}
      _je_ver=$(_je_version "$_je_home")
      if [ -n "$_je_ver" ] && [ "$_je_ver" -ge "$_je_min" ] && [ "$_je_ver" -gt "$_je_best" ]; then
        _je_best=$_je_ver
        _je_found=$_je_home
      fi
    done
  done
  IFS=$_je_ifs
  if [ -n "$_je_noglob" ]; then set -f; fi
fi

if [ -n "$_je_found" ]; then
  JAVA_HOME=$_je_found
  JAVA=$JAVA_HOME/bin/java
  # the feature version (21, 25, ...): bin/gateway turns on options that only newer JDKs have
  JAVA_FEATURE=$(_je_version "$JAVA_HOME")
  PATH=$JAVA_HOME/bin:$PATH
  export JAVA_HOME JAVA JAVA_FEATURE PATH
fi

unset _je_v _je_ver _je_java _je_home _je_dir _je_best _je_ifs _je_noglob
unset -f _je_version _je_ok

if [ -z "$_je_found" ]; then
  echo "error: no JDK $_je_min or newer found (checked JAVA_HOME, java on PATH${_je_dirs:+, $(echo "$_je_dirs" | sed 's/:/, /g')}); install one or set JAVA_HOME" >&2
  unset _je_found _je_dirs _je_min
  return 1
fi
unset _je_found _je_dirs _je_min

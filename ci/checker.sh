# Sourced by ./kata, ci/grade, ci/merge-grades and ci/export-assignment: builds a tool from this
# checkout with Maven (quietly, and only when its sources changed since the last build), then
# runs it. Needs only a JDK 17 and Maven 3.8+. KATAS_CI_NO_BUILD=1 skips the build when the
# modules the tool runs from are already built (the tools' own tests use it).
# KATAS_GRADE_OPTS: extra JVM options for the grader (e.g. -Dkatas.grade.layers=tests; see
# ci/points.properties), never for the graded code.
ci_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# run_checker TOOL MAIN_CLASS ARGS... : runs a tool, the module ci/grader or learner, from its classes and the
# modules it depends on (see the root pom.xml); exits with the tool's exit code (3 if it cannot run).
run_checker() {
  local tool="$1" main="$2"; shift 2
  local checker="$ci_root/ci/checker/target/classes" m cp="" built=yes sources=()
  for m in ci/runner ci/checker "$tool"; do
    cp="$cp:$ci_root/$m/target/classes"
    [ -d "$ci_root/$m/target/classes/katas" ] || built=""
    sources+=("$ci_root/$m/src/main" "$ci_root/$m/pom.xml")
  done
  [ -f "$checker/katas/checker/libraries.classpath" ] && [ -f "$checker/katas/checker/host.classpath" ] || built=""
  # Maven runs only when a tool's sources changed since its last build (it takes seconds to start).
  local stamp="$ci_root/$tool/target/classes/.built" newer=""  # one per tool: each is built on its own
  if [ -n "$built" ] && [ -f "$stamp" ]; then
    newer="$(find "${sources[@]}" "$ci_root/pom.xml" "$ci_root/katas/support/src/main" -newer "$stamp" -print -quit 2>/dev/null || true)"
  else
    newer=yes
  fi
  if { [ "${KATAS_CI_NO_BUILD:-}" != 1 ] && [ -n "$newer" ]; } || [ -z "$built" ]; then
    local log
    if ! log="$(mvn -B -q -Dstyle.color=never -f "$ci_root/pom.xml" -pl "$tool" -am -DskipTests compile 2>&1)"; then
      printf '%s\n' "$log" >&2
      echo "error: could not build $tool (mvn -pl $tool -am compile failed; see above)" >&2
      exit 3
    fi
    touch "$stamp" 2>/dev/null || true
  fi
  local java=java
  [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
  # The modules, the graded code's libraries (libraries.classpath), then the host's own (host.classpath: picocli).
  # shellcheck disable=SC2086
  "$java" -XX:+UseSerialGC -XX:-UsePerfData ${KATAS_GRADE_OPTS:-} -Dkatas.root="$ci_root" \
    -cp "${cp#:}:$(cat "$checker/katas/checker/libraries.classpath"):$(cat "$checker/katas/checker/host.classpath")" "$main" "$@"
  local rc=$?
  # The JVM itself failed to start or crashed: that is the tool failing, not a usage error.
  case "$rc" in 0|1|2|3) exit "$rc" ;; *) echo "error: the checker JVM failed (exit code $rc)" >&2; exit 3 ;; esac
}

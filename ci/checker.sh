# Sourced by ci/grade, ci/merge-grades and ci/export-assignment: builds the checker from this
# checkout with Maven (quietly; Maven skips what is up to date), then runs one of its commands.
# Needs only a JDK 17 and Maven 3.8+. KATAS_CI_NO_BUILD=1 skips the build when ci/target/classes
# and ci/runner/target/classes are already built (the grader's own tests use it).
# KATAS_GRADE_OPTS: extra JVM options for the grader (e.g. -Dkatas.grade.layers=tests; see
# ci/points.properties), never for the graded code.
ci_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

run_checker() {  # run_checker COMMAND ARGS... ; exits with the command's exit code (3 if it cannot run)
  local classes="$ci_root/ci/target/classes" runner="$ci_root/ci/runner/target/classes"
  # Maven runs only when the checker's sources changed since its last build (it takes seconds to start).
  local stamp="$classes/.built" newer=""
  if [ -f "$stamp" ] && [ -f "$classes/katas/ci/libraries.classpath" ] && [ -f "$classes/katas/ci/grader.classpath" ] \
    && [ -d "$runner/katas/runner" ]; then
    newer="$(find "$ci_root/ci/src/main" "$ci_root/ci/pom.xml" "$ci_root/ci/runner/src/main" "$ci_root/ci/runner/pom.xml" \
      "$ci_root/pom.xml" "$ci_root/katas/support/src/main" \
      -newer "$stamp" -print -quit 2>/dev/null || true)"
  else
    newer=yes
  fi
  if [ "${KATAS_CI_NO_BUILD:-}" != 1 ] && [ -n "$newer" ] || [ ! -f "$classes/katas/ci/libraries.classpath" ] \
    || [ ! -f "$classes/katas/ci/grader.classpath" ] || [ ! -d "$runner/katas/runner" ]; then
    local log
    if ! log="$(mvn -B -q -Dstyle.color=never -f "$ci_root/pom.xml" -pl ci -am -DskipTests compile 2>&1)"; then
      printf '%s\n' "$log" >&2
      echo "error: could not build the checker (mvn -pl ci -am compile failed; see above)" >&2
      exit 3
    fi
    touch "$stamp" 2>/dev/null || true
  fi
  local java=java
  [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
  # The host side, the runner, the graded code's libraries (libraries.classpath), then the checker's own (grader.classpath: picocli).
  # shellcheck disable=SC2086
  "$java" -XX:+UseSerialGC -XX:-UsePerfData ${KATAS_GRADE_OPTS:-} -Dkatas.root="$ci_root" \
    -cp "$classes:$runner:$(cat "$classes/katas/ci/libraries.classpath"):$(cat "$classes/katas/ci/grader.classpath")" katas.ci.Main "$@"
  local rc=$?
  # The JVM itself failed to start or crashed: that is the grader failing, not a usage error.
  case "$rc" in 0|1|2|3) exit "$rc" ;; *) echo "error: the checker JVM failed (exit code $rc)" >&2; exit 3 ;; esac
}

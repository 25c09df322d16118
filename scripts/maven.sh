# Sourced by the scripts: mvn_quietly ARGS... runs Maven in batch mode and keeps its output back,
# showing it only when the build fails (Maven's -q alone still prints terminal resets and warnings).
mvn_quietly() {
  local log status=0
  log=$(mktemp)
  mvn -B -ntp -q "$@" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    cat "$log" >&2
  fi
  rm -f "$log"
  return "$status"
}

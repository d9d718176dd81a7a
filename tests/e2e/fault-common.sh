# tests/e2e/fault-common.sh - shared by the fault-*.test scripts
# (sourced after run-common.sh): start a run in the background, find a
# part of its infrastructure through RUN/pids, kill it at a known moment,
# and check the end: the exit status, the verdicts of report.json (and
# that its exit_status agrees), the failure named, nothing left behind.

# fault_start ARGS... - "danesim run --out $runs ARGS..." in the
# background ($runs defaults to $out/r); $pid is its pid, its output
# goes to $out/stdout.
fault_start() {
	: "${runs:=$out/r}"
	"$DANESIM" run --out "$runs" "$@" >"$out/stdout" 2>&1 &
	pid=$!
	watch_ns "$pid" "$out/ino"
}

# wait_for PATTERN FILE... - wait up to 30 s until a FILE has a line
# matching PATTERN (grep -E); 1 if it never came.
wait_for() {
	pat=$1
	shift
	i=0
	while ! grep -qE "$pat" "$@" 2>/dev/null; do
		[ $i -ge 300 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

# fault_kill PART [SIGNAL] - kill the run's PART (fakedns, fakemx,
# unbound, capture: a name of RUN/pids) with SIGNAL (default KILL).
fault_kill() {
	wait_for "^$1 [0-9]+\$" "$runs/latest/pids" ||
	    { kill -INT "$pid"; wait "$pid"; cat "$out/stdout"; fail "no pid of $1 in RUN/pids"; }
	victim=$(sed -n "s/^$1 \([0-9]*\)\$/\1/p" "$runs/latest/pids")
	kill -"${2:-KILL}" "$victim" || fail "kill $1 ($victim)"
	echo "killed $1 (pid $victim) with SIG${2:-KILL}"
}

# fault_end RC - wait for the run; its exit status must be RC; the
# reports are written and valid; nothing of the run is left. $run is
# the run folder afterwards.
fault_end() {
	wait "$pid"
	rc=$?
	cat "$out/stdout"
	[ "$rc" = "$1" ] || fail "exit $rc, want $1"
	run=$(readlink -f "$runs/latest")
	check_reports "$run"
	check_clean "$pid" "$run" "$out/ino"
}

# fault_verdicts RC RUNERR SCNERR ID=VERDICT... - report.json gives
# each ID its VERDICT and says exit_status RC; its run.error contains
# RUNERR (run.error null when RUNERR is empty); every expectation judged
# error gives a reason containing SCNERR.
fault_verdicts() {
	python3 - "$run/report.json" "$@" <<'PY' || fail "report.json does not say what happened"
import json, sys
doc = json.load(open(sys.argv[1]))
rc, runerr, scnerr, want = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
got = {s["id"]: s["verdict"] for s in doc["scenarios"]}
for w in want:
    sid, v = w.split("=")
    assert got.get(sid) == v, "%s: %s, want %s" % (sid, got.get(sid), v)
assert doc["summary"]["exit_status"] == rc, ("exit_status", doc["summary"]["exit_status"], rc)
err = doc["run"].get("error")
if runerr:
    assert err and runerr in err, ("run.error", err)
else:
    assert err is None, ("run.error", err)
for s in doc["scenarios"]:
    for e in s["expectations"]:
        if e["verdict"] == "error":
            assert e["reason"] and scnerr in e["reason"], (s["id"], e)
print("report.json:", got, "exit_status", rc, "error:", err)
PY
}

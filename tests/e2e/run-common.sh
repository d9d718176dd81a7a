# tests/e2e/run-common.sh - shared by the run-*.test scripts (sourced):
# prerequisites, a private output folder, the report checks and the
# "nothing of the run is left" checks.
: "${DANESIM_BIN:=build}"
: "${DANESIM_SRCDIR:=.}"
DANESIM="$DANESIM_BIN/danesim"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

need_run_prereqs() {
	[ "$(id -u)" = 0 ] || { echo "needs root for ip netns"; exit 77; }
	for tool in ip unbound xmllint python3; do
		command -v $tool >/dev/null 2>&1 || { echo "$tool not installed"; exit 77; }
	done
	for prog in danesim fakedns fakemx refsut; do
		[ -x "$DANESIM_BIN/$prog" ] || { echo "no $DANESIM_BIN/$prog"; exit 77; }
	done
	[ -d "$DANESIM_SRCDIR/scenarios" ] || { echo "no scenarios/"; exit 77; }
}

need_postfix() {
	command -v postfix >/dev/null 2>&1 && [ -x /usr/sbin/postfix ] ||
	    { echo "postfix not installed (scripts/install-deps)"; exit 77; }
}

# make_out NAME - a fresh output folder in $out, removed at exit.
make_out() {
	out=$(mktemp -d "/tmp/dsimt-$1.XXXXXX")
	# The SUT may run as another user (Postfix): the folder must be
	# searchable by it.
	chmod 0755 "$out"
	trap 'rm -rf "$out"' EXIT
	trap 'exit 1' INT TERM HUP
}

fail() {
	echo "FAIL: $*"
	exit 1
}

# check_reports RUNDIR - report.json valid against the schema, junit.xml
# well formed, summary.md present.
check_reports() {
	for f in report.json junit.xml summary.md run.json; do
		[ -s "$1/$f" ] || fail "$1/$f missing"
	done
	python3 - "$1/report.json" "$DANESIM_SRCDIR/docs/report-schema.json" <<'PY' || fail "report.json does not match docs/report-schema.json"
import json, sys
doc = json.load(open(sys.argv[1]))
# No jsonschema is a failure, not a pass: the check would prove nothing.
import jsonschema
jsonschema.validate(doc, json.load(open(sys.argv[2])))
PY
	xmllint --noout "$1/junit.xml" || fail "junit.xml is not well-formed"
}

# watch_ns PID FILE - in the background, note the inode of namespace
# danesim-PID in FILE as soon as it exists (to find leaks afterwards).
watch_ns() {
	(
		i=0
		while [ $i -lt 600 ]; do
			if [ -e "/run/netns/danesim-$1" ]; then
				stat -L -c %i "/run/netns/danesim-$1" >"$2" 2>/dev/null && exit 0
			fi
			sleep 0.1
			i=$((i + 1))
		done
	) &
}

# check_clean PID RUNDIR INODEFILE - nothing of run PID is left: no
# namespace, no /etc/netns entry, no mount, no process inside its
# network namespace or naming its run folder.
check_clean() {
	ns="danesim-$1"
	ip netns list | grep -qw "$ns" && fail "namespace $ns left"
	[ -e "/etc/netns/$ns" ] && fail "/etc/netns/$ns left"
	grep -q "netns/$ns" /proc/self/mountinfo && fail "mount of $ns left"
	if [ -s "$3" ]; then
		ino=$(cat "$3")
		# A namespace's inode number is reused once it is freed: a
		# process that started after the run wrote run.json (and so
		# after its namespace was gone, if that went well) lives in
		# someone else's namespace, not in a leftover of this run.
		btime=$(awk '/^btime/ {print $2}' /proc/stat)
		hz=$(getconf CLK_TCK)
		ended=$(stat -c %Y "$2/run.json" 2>/dev/null || date +%s)
		for p in /proc/[0-9]*; do
			n=$(stat -L -c %i "$p/ns/net" 2>/dev/null) || continue
			if [ "$n" = "$ino" ]; then
				st=$(awk '{print $3}' "$p/stat" 2>/dev/null)
				[ "$st" = Z ] && continue
				start=$(awk -v b="$btime" -v hz="$hz" \
				    '{sub(/^.*\) /, ""); print int(b + $20 / hz)}' \
				    "$p/stat" 2>/dev/null)
				# (Both in whole seconds: one that started in
				# the second run.json was written came after
				# the namespace was removed.)
				[ -n "$start" ] && [ "$start" -ge "$ended" ] && continue
				# ... or in a namespace someone else named since.
				other=$(ip netns identify "${p#/proc/}" 2>/dev/null)
				[ -n "$other" ] && [ "$other" != "$ns" ] && continue
				fail "process ${p#/proc/} ($(tr '\0' ' ' <"$p/cmdline")) left in the run's namespace"
			fi
		done
	fi
	if [ -n "$2" ] && ps -eo args | grep -F "$2" | grep -v grep >/dev/null; then
		fail "a process naming $2 is left"
	fi
	return 0
}

# Shared by scripts/test-hardening and scripts/fuzz-long: the sanitizer tree that builds the
# fuzz targets, the targets' seed corpora and one fuzzing run. Source common.sh first.
# shellcheck shell=bash

FUZZ_DIR=$ROOT/tests/fuzz
SHARED_CORPUS=$ROOT/../shared/corpus

# Configures the clang ASan+UBSan tree: library, CLI, C++ tests and fuzz targets. -O1 keeps
# the fuzzers fast enough while the reports still point at the right lines.
configure_asan() {
  cmake -S "$ROOT" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
    -DMAILTLS_FUZZ=ON -DMAILTLS_BUILD_PYTHON=OFF -DMAILTLS_WERROR=ON \
    -DPython_EXECUTABLE="$PYTHON" >/dev/null
}

# Every fuzz target: tests/fuzz/fuzz_*.cpp, one target per file.
fuzz_targets() {
  local f
  for f in "$FUZZ_DIR"/fuzz_*.cpp; do
    basename "$f" .cpp
  done
}

# A field from a target's header comment (`// seeds: ...`, `// runs: N`).
fuzz_field() {
  sed -n "s|^// $2: ||p" "$FUZZ_DIR/$1.cpp" | head -n 1
}

# The runs of a target in the gate: its `// runs:` line (sized to about 30 s on the CI
# machine), else 20000.
fuzz_runs() {
  local runs
  runs=$(fuzz_field "$1" runs)
  echo "${runs:-20000}"
}

# The directories whose files seed the fuzzers: the project's fixtures and examples, and the
# shared corpus when it is there (read in place: seeds are copied into the build tree only).
seed_sources() {
  echo "$ROOT/tests/rules" "$ROOT/examples"
  if [ -d "$SHARED_CORPUS" ]; then echo "$SHARED_CORPUS"; fi
}

# One seed per instance directory of the project's fixtures and examples: its main.cf,
# master.cf and dovecot.conf joined by the `#@file` lines that fuzz_lint_instance splits at
# (a missing file is an empty part). The shared corpus is left out: linting a whole instance
# is slow, and tests/cpp/corpus_output_tests.cpp lints every corpus directory under the
# sanitizers already.
instance_seeds() {
  local out=$1 dir name i=0
  while IFS= read -r dir; do
    {
      for name in main.cf master.cf dovecot.conf; do
        [ "$name" = main.cf ] || printf '#@file\n'
        if [ -f "$dir/$name" ]; then cat "$dir/$name"; fi
      done
    } >"$out/instance-$i"
    i=$((i + 1))
  done < <(find "$ROOT/tests/rules" "$ROOT/examples" -type f \
             \( -name main.cf -o -name master.cf -o -name dovecot.conf \) \
             -printf '%h\n' | sort -u)
}

# Builds the seed corpus of a target in DIR (emptied first) from its `// seeds:` patterns:
# file name globs, or `instance` for whole instances.
fuzz_seeds() {
  local target=$1 out=$2 patterns pattern f args=()
  rm -rf "$out"
  mkdir -p "$out"
  patterns=$(fuzz_field "$target" seeds)
  for pattern in $patterns; do
    if [ "$pattern" = instance ]; then
      instance_seeds "$out"
      continue
    fi
    [ ${#args[@]} = 0 ] || args+=(-o)
    args+=(-name "$pattern")
  done
  if [ ${#args[@]} -gt 0 ]; then
    find $(seed_sources) -type f \( "${args[@]}" \) -print0 |
      while IFS= read -r -d '' f; do
        cp "$f" "$out/$(sha1sum <"$f" | cut -c1-16)"
      done
  fi
}

# Runs a fuzz target of BUILD with the given libFuzzer flags from its seeds and regression
# corpus; new inputs go to a scratch corpus that starts empty (unless FUZZ_KEEP_CORPUS is set),
# so a run depends only on its flags. A crash, leak, timeout (-timeout, per input) or out-of-memory (-rss_limit_mb) fails
# it: the input is left in BUILD/fuzz/artifacts/TARGET/ to be added to the regressions.
fuzz_run() {
  local build=$1 target=$2
  shift 2
  local work=$build/fuzz/$target
  [ -n "${FUZZ_KEEP_CORPUS:-}" ] || rm -rf "$work/corpus"
  rm -rf "$work/artifacts"
  mkdir -p "$work/corpus" "$work/artifacts"
  fuzz_seeds "$target" "$work/seeds"
  local status=0
  (cd "$work" && "$build/tests/fuzz/$target" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@" \
    "$work/corpus" "$work/seeds" "$FUZZ_DIR/regressions/$target") >"$work/log" 2>&1 || status=$?
  grep -E '^(INFO: Seed:|INFO: seed corpus|#[0-9]+ +DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)' \
    "$work/log" || true
  if [ "$status" != 0 ]; then
    tail -n 60 "$work/log"
    echo "FAILED: $target (exit $status); the input is in $work/artifacts/:" >&2
    ls -l "$work/artifacts" >&2
    echo "add it to tests/fuzz/regressions/$target/ and as a fixture of the code it breaks" >&2
    return 1
  fi
}

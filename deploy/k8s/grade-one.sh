#!/bin/bash
# Grades one submission in a pod of the indexed Job deploy/k8s/grade-job.yaml.
# The pod sees only its own submission and its own results folder (both mounted with
# subPathExpr = the completion index), so student code cannot read or touch another's:
#   /submission/student_id        one line: the student's id (the gradebook's student_id)
#   /submission/LAB.ipynb         the submitted notebook, named as the lab (LAYERLAB_ASSIGNMENT)
#   /results/                     what the grader writes (grades.csv, ...), plus SUBMISSION
# A submission that fails its tests is a result, not a failure of this pod; the pod fails only
# when no result could be written, and leaves /results/ERROR saying why, for gather_grades.py.
set -euo pipefail

i="${JOB_COMPLETION_INDEX:?JOB_COMPLETION_INDEX is not set: run this as an indexed Job}"
in="${LAYERLAB_SUBMISSION:-/submission}"
out="${LAYERLAB_RESULTS:-/results}"
assignment="${LAYERLAB_ASSIGNMENT:?LAYERLAB_ASSIGNMENT names the lab, e.g. lab01-pooling}"

error() {
  printf '%s\n' "$*" > "$out/ERROR"
  printf 'grade-one: submission %s: %s\n' "$i" "$*" >&2
  exit 1
}

rm -f "$out/ERROR"
[ -f "$in/student_id" ] || error "no $in/student_id (the submissions volume needs $i/student_id)"
student="$(head -n 1 "$in/student_id" | tr -d '[:space:]')"
[ -n "$student" ] || error "$in/student_id is empty"
nb="$in/$assignment.ipynb"
[ -f "$nb" ] || error "no $assignment.ipynb for $student in $in (the grader finds a lab by its name)"

# The grader's CLI (branch `grader`): one submission per invocation, against the masters in the
# image, with the heap of the grading kernel; it exits 0 once the submission is graded, whatever
# the score, and writes grades.csv, tests.csv, results/ and feedback/ under --out.
read -r -a grade <<< "${LAYERLAB_GRADE_CMD:-/src/lab grade}"
rc=0
"${grade[@]}" --submission "$nb" --student "$student" --assignment "$assignment" \
  --masters "${LAYERLAB_MASTERS:-/src/labs/master}" --heap "${LAYERLAB_HEAP:-768m}" --out "$out" \
  > "$out/grader.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || error "the grader exited with $rc for $student; see grader.log"
[ -s "$out/grades.csv" ] || error "the grader wrote no grades.csv for $student"
printf '%s\t%s\n' "$i" "$student" > "$out/SUBMISSION"

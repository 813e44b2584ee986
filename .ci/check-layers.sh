#!/usr/bin/env bash
# Fails when a source includes a header from a layer above its own, so the
# folder map in docs/architecture.md ("Folders are layers") stays true.
# Usage: check-layers.sh [ROOT]   (ROOT: the repository, by default this one)
set -euo pipefail
root=${1:-"$(dirname "${BASH_SOURCE[0]}")/.."}
cd "$root"

# A folder (its longest listed prefix wins) and the folders it may include,
# lowest layer first. A leading "!" forbids a prefix the others would allow.
layers=(
  "engine/         engine/"
  "storage/        engine/ storage/"
  "net/            engine/ net/ !net/contract/"
  "net/contract/   engine/ net/"
  "actors/         engine/ storage/ net/ actors/ !actors/api/"
  "actors/api/     engine/ storage/ net/ actors/"
  "runtime/        engine/ storage/ net/ actors/ runtime/"
  "runtime/cluster/rules/  engine/ runtime/cluster/rules/"
)
# Only includes of these folders are ours; anything else is a library's.
ours='^(engine|storage|net|actors|runtime|tests)/'

rules_for() {  # prints the rule line of the longest folder prefix of $1
  local file=$1 best="" best_folder="" line folder
  for line in "${layers[@]}"; do
    folder=${line%% *}
    if [[ $file == "$folder"* && ${#folder} -gt ${#best_folder} ]]; then
      best=$line
      best_folder=$folder
    fi
  done
  if [[ -n $best ]]; then echo "$best"; fi
}

allowed() {  # allowed RULE_LINE INCLUDE
  local rule ok=1
  for rule in ${1#* }; do
    if [[ $rule == !* ]]; then
      [[ $2 == "${rule#!}"* ]] && return 1
    elif [[ $2 == "$rule"* ]]; then
      ok=0
    fi
  done
  return $ok
}

bad=0
while IFS= read -r -d '' file; do
  file=${file#./}
  rule=$(rules_for "$file")
  [[ -n $rule ]] || continue
  n=0
  while IFS= read -r text; do
    n=$((n + 1))
    [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
    inc=${BASH_REMATCH[1]}
    [[ $inc =~ $ours ]] || continue
    if ! allowed "$rule" "$inc"; then
      echo "$file:$n: includes \"$inc\", above its layer (may include: $(echo ${rule#* }))" >&2
      bad=1
    fi
  done < "$file"
done < <(find engine storage net actors runtime -type f \
           \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -print0 2>/dev/null)

if [[ $bad -ne 0 ]]; then
  echo "check-layers: includes cross the layers (table in .ci/check-layers.sh)" >&2
  exit 1
fi
echo "check-layers: every include respects the layers"

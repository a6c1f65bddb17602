# The bundled corpus (instances/data/corpus.tsv): every stored network has
# the stored loss, every stored certificate is verified and proves the
# stored claim, and instances marked "solve" (solve under 3 s when the
# corpus was made) are solved again and must give the same answer.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data
start=$SECONDS

# json_field FILE KEY: prints the value of "KEY" in the one-line JSON
# object in FILE (quotes removed), or "none".
json_field() {
    local v
    v=$(grep -o "\"$2\": \(\"[^\"]*\"\|[a-z0-9]*\)" "$1" | head -1)
    v=${v#*: }
    v=${v//\"/}
    echo "${v:-none}"
}

count=0
while IFS=$'\t' read -r name kind n d k loss claim value test rest; do
    [ "$name" != name ] || continue
    count=$((count + 1))
    inst=$DATA/$name.txt

    # The stored network reaches the stored loss.
    expect_exit "$([ "$claim" = infeasible ] && echo 1 || echo 0)" \
        "$XTRAIN" check "$inst" "$DATA/$name.net" --json
    got=$(json_field "$WORK/out" loss)
    [ "$got" = "$value" ] || fail "$name: network loss $got, stored $value"

    # The certificate is verified and proves the claim.
    expect_exit 0 "$XTRAIN" check "$inst" --certificate "$DATA/$name.cert" \
        --json
    [ "$(json_field "$WORK/out" verified)" = true ] ||
        fail "$name: certificate not verified"
    case $claim in
    optimal)
        [ "$(json_field "$WORK/out" lower_bound)" = "$value" ] ||
            fail "$name: certificate does not prove optimum $value" ;;
    infeasible)
        [ "$(json_field "$WORK/out" infeasible)" = true ] ||
            fail "$name: certificate does not prove infeasibility" ;;
    esac

    [ "$test" = solve ] || continue
    # Solved again: the same status and, for an optimum, the same loss.
    want_exit=0
    [ "$claim" = infeasible ] && want_exit=1
    expect_exit "$want_exit" "$XTRAIN" solve "$inst" --json
    status=$(json_field "$WORK/out" status)
    [ "$status" = "$claim" ] || fail "$name: solve says $status, stored $claim"
    if [ "$claim" = optimal ]; then
        got=$(json_field "$WORK/out" loss)
        [ "$got" = "$value" ] || fail "$name: optimum $got, stored $value"
    fi
done <"$DATA/corpus.tsv"

[ "$count" -ge 30 ] || fail "corpus has $count instances, expected 30 or more"
echo "$count corpus instances in $((SECONDS - start)) s"
finish

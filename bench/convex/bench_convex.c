/* Benchmark driver for the convex search against the enumeration solver
 * on planted convex instances (tests/unit/test_convex_planted.h).  Prints
 * one line per run:
 *
 *   kind n d k seed method form status nodes lps depth seconds
 *
 * Usage: bench_convex KIND N D K SEED METHOD [FORM [BRANCH [ROUNDS
 *        [SYMMETRY [TIME_LIMIT [PROBES]]]]]]
 *   KIND planted | perturbed, METHOD convex | enum,
 *   FORM lazy | subsets | extended, BRANCH max | min | first | fewest,
 *   ROUNDS linearization LPs per node, SYMMETRY 1 | 0,
 *   TIME_LIMIT seconds (0: none), PROBES points probed by fewest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "convex_internal.h"
#include "xtrain/solve.h"
#include "../../tests/unit/test_convex_planted.h"

static int parse_form(const char *s, xt_convex_form *out)
{
    if (!strcmp(s, "lazy"))
        *out = XT_CONVEX_FORM_LAZY;
    else if (!strcmp(s, "subsets"))
        *out = XT_CONVEX_FORM_SUBSETS;
    else if (!strcmp(s, "extended"))
        *out = XT_CONVEX_FORM_EXTENDED;
    else
        return -1;
    return 0;
}

static int parse_branch(const char *s, xt_convex_branch *out)
{
    if (!strcmp(s, "max"))
        *out = XT_CONVEX_BRANCH_MAX_SLACK;
    else if (!strcmp(s, "min"))
        *out = XT_CONVEX_BRANCH_MIN_SLACK;
    else if (!strcmp(s, "first"))
        *out = XT_CONVEX_BRANCH_FIRST;
    else if (!strcmp(s, "fewest"))
        *out = XT_CONVEX_BRANCH_FEWEST;
    else
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: bench_convex KIND N D K SEED METHOD [FORM "
                "[BRANCH [ROUNDS [SYMMETRY [TIME_LIMIT [PROBES]]]]]]\n");
        return 2;
    }
    const char *kind = argv[1];
    long n = atol(argv[2]);
    int d = atoi(argv[3]), k = atoi(argv[4]);
    uint64_t seed = strtoull(argv[5], NULL, 10);
    const char *method = argv[6];
    xt_convex_options copt;
    xt_convex_options_default(&copt);
    if ((argc > 7 && parse_form(argv[7], &copt.form)) ||
        (argc > 8 && parse_branch(argv[8], &copt.branch))) {
        fprintf(stderr, "bench_convex: unknown form or branch rule\n");
        return 2;
    }
    if (argc > 9)
        copt.rounds = atoi(argv[9]);
    if (argc > 10)
        copt.symmetry = atoi(argv[10]);
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    if (argc > 11)
        opt.time_limit = atof(argv[11]);
    if (argc > 12)
        copt.probes = atoi(argv[12]);

    xt_instance_t inst;
    xt_network_t teacher;
    xt_instance_init(inst);
    xt_network_init(teacher);
    uint64_t state = seed;
    convex_planted(inst, teacher, &state, n, d, k, 0);
    if (!strcmp(kind, "perturbed"))
        convex_planted_perturb(inst, &state);

    xt_solve_result_t res;
    xt_solve_result_init(res);
    xt_error_t err;
    xt_error_clear(&err);
    int rc;
    if (!strcmp(method, "enum"))
        rc = xt_solve_enum(res, inst, &opt, &err);
    else
        rc = xt_convex_solve(res, inst, &opt, &copt, &err);
    static const char *const forms[] = {"lazy", "subsets", "extended"};
    if (rc != XT_OK) {
        fprintf(stderr, "bench_convex: %s\n", err.message);
        printf("%s %ld %d %d %llu %s %s error - - - %.3f\n", kind, n, d, k,
               (unsigned long long)seed, method, forms[copt.form],
               res->seconds_total);
    } else
        printf("%s %ld %d %d %llu %s %s %s %ld %ld %d %.3f\n", kind, n, d,
               k, (unsigned long long)seed, method,
               strcmp(method, "enum") ? forms[copt.form] : "-",
               xt_solve_status_name(res->status),
               strcmp(method, "enum") ? res->nodes : res->patterns,
               res->subproblems, res->depth, res->seconds_total);
    xt_solve_result_clear(res);
    xt_network_clear(teacher);
    xt_instance_clear(inst);
    return rc == XT_OK ? 0 : 1;
}

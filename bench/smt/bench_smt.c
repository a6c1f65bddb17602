/* Benchmarks of the SMT backend (bench/smt/run.sh builds and runs it).
 *
 *   bench_smt encoding SEED COUNT LIMIT   ReLU as ite or as disjunction
 *   bench_smt enum SEED LIMIT             SMT against enumeration
 *   bench_smt cvc5 SEED COUNT LIMIT       Z3 against cvc5 on exports
 *
 * Instances are seeded random ReLU instances with one output, d = 2,
 * integer coordinates in [-3, 3] and labels in [-3, 3].  LIMIT is the
 * time limit in seconds per Z3 or cvc5 run (per solve for "enum").
 * Output is Markdown tables on stdout. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/smt.h"
#include "xtrain/solve.h"

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void random_instance(xt_instance_t inst, uint64_t *rng, long n, int k,
                            xt_loss loss)
{
    xt_instance_resize(inst, n, 2, 1, NULL);
    for (long i = 0; i < 2 * n; i++)
        mpq_set_si(inst->x[i], (long)(next_random(rng) % 7) - 3, 1);
    for (long i = 0; i < n; i++)
        mpq_set_si(inst->y[i], (long)(next_random(rng) % 7) - 3, 1);
    inst->hidden = k;
    inst->activation = XT_ACT_RELU;
    inst->loss = loss;
    inst->output_bias = 1;
    inst->convex = 0;
    inst->has_target = 0;
}

/* Computes the exact optimum by enumeration and returns its time in
 * seconds, or -1 when it was not found within limit. */
static double enum_optimum(mpq_t optimum, const xt_instance_t inst,
                           double limit)
{
    xt_solve_options opt;
    xt_solve_result_t res;
    xt_error_t err;
    double start = xt_seconds(), took = -1;

    xt_solve_options_init(&opt);
    opt.time_limit = limit;
    xt_solve_result_init(res);
    if (xt_solve_enum(res, inst, &opt, &err) == XT_OK &&
        res->status == XT_SOLVE_OPTIMAL) {
        mpq_set(optimum, res->loss);
        took = xt_seconds() - start;
    }
    xt_solve_result_clear(res);
    return took;
}

/* Runs one Z3 decision, stores its result in *answer and returns its
 * time in seconds. */
static double z3_decide(const xt_instance_t inst, const mpq_t t, int strict,
                        xt_smt_relu_encoding relu, double limit,
                        xt_smt_status *answer)
{
    xt_smt_options_t opt;
    xt_smt_answer_t ans;
    xt_algebraic_t target;
    xt_error_t err;
    double start = xt_seconds();

    xt_smt_options_init(opt);
    opt->relu = relu;
    xt_smt_answer_init(ans);
    xt_algebraic_init(target);
    xt_algebraic_set_q(target, t);
    if (xt_smt_decide(ans, inst, target, strict, opt, limit, &err) != XT_OK) {
        fprintf(stderr, "bench_smt: %s\n", err.message);
        exit(4);
    }
    *answer = ans->status;
    xt_algebraic_clear(target);
    xt_smt_answer_clear(ans);
    xt_smt_options_clear(opt);
    return xt_seconds() - start;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, long n)
{
    if (n == 0)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, compare_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ----------------------------------------------------------- encoding */

typedef struct {
    double *times;
    long count, unknown;
    double total;
} series;

static void series_add(series *s, double t, xt_smt_status answer)
{
    s->times[s->count++] = t;
    s->total += t;
    s->unknown += answer == XT_SMT_UNKNOWN;
}

static void encoding_row(uint64_t *rng, long count, double limit, int k,
                         xt_loss loss, long n)
{
    series s[2];
    xt_instance_t inst;
    mpq_t optimum;

    for (int e = 0; e < 2; e++) {
        s[e].times = malloc((size_t)(2 * count) * sizeof(double));
        s[e].count = s[e].unknown = 0;
        s[e].total = 0;
    }
    xt_instance_init(inst);
    mpq_init(optimum);
    for (long c = 0; c < count; c++) {
        random_instance(inst, rng, n, k, loss);
        if (enum_optimum(optimum, inst, 600) < 0)
            continue;
        for (int e = 0; e < 2; e++)
            for (int strict = 0; strict < 2; strict++) {
                xt_smt_status answer;
                double t = z3_decide(inst, optimum, strict,
                                     (xt_smt_relu_encoding)e, limit,
                                     &answer);
                series_add(&s[e], t, answer);
            }
    }
    printf("| %s | %d | %ld | %ld | %.3f | %.3f | %.2f | %ld / %ld |\n",
           xt_loss_name(loss), k, n, s[0].count,
           median(s[0].times, s[0].count), median(s[1].times, s[1].count),
           s[1].total / s[0].total, s[0].unknown, s[1].unknown);
    fflush(stdout);
    for (int e = 0; e < 2; e++)
        free(s[e].times);
    mpq_clear(optimum);
    xt_instance_clear(inst);
}

static void bench_encoding(uint64_t seed, long count, double limit)
{
    uint64_t rng = seed;

    printf("| loss | k | n | checks | median ite (s) | median disjunction "
           "(s) | total disjunction / ite | unknown ite / disj. |\n"
           "|---|---|---|---|---|---|---|---|\n");
    encoding_row(&rng, count, limit, 1, XT_LOSS_L2, 4);
    encoding_row(&rng, count, limit, 1, XT_LOSS_L2, 6);
    encoding_row(&rng, count, limit, 2, XT_LOSS_L2, 4);
    encoding_row(&rng, count, limit, 1, XT_LOSS_L1, 10);
    encoding_row(&rng, count, limit, 2, XT_LOSS_L1, 8);
    encoding_row(&rng, count, limit, 3, XT_LOSS_L1, 6);
}

/* --------------------------------------------------------------- enum */

/* Runs the SMT optimization as xtrain --method smt does, without the
 * enumeration bound.  Returns its time in seconds; *closed tells whether
 * it proved the optimum, then stored in loss. */
static double smt_optimize(const xt_instance_t inst, double limit,
                           int *closed, mpq_t loss)
{
    xt_solve_options opt;
    xt_smt_options_t smt;
    xt_solve_result_t res;
    xt_error_t err;
    double start = xt_seconds();

    xt_solve_options_init(&opt);
    opt.time_limit = limit;
    xt_smt_options_init(smt);
    smt->use_enum_bound = 0;
    xt_solve_result_init(res);
    if (xt_smt_solve(res, NULL, inst, &opt, smt, &err) != XT_OK) {
        fprintf(stderr, "bench_smt: %s\n", err.message);
        exit(4);
    }
    *closed = res->status == XT_SOLVE_OPTIMAL;
    if (*closed)
        mpq_set(loss, res->loss);
    xt_solve_result_clear(res);
    xt_smt_options_clear(smt);
    return xt_seconds() - start;
}

static void enum_row(uint64_t *rng, double limit, int k, long n,
                     xt_loss loss, int *give_up)
{
    xt_instance_t inst;
    mpq_t optimum, found;
    xt_smt_status at, below;
    int closed = 0;

    xt_instance_init(inst);
    mpq_inits(optimum, found, NULL);
    random_instance(inst, rng, n, k, loss);
    double te = enum_optimum(optimum, inst, limit);
    if (te < 0) {
        printf("| %s | %d | %ld | > %.0f | | | | |\n", xt_loss_name(loss), k,
               n, limit);
        *give_up = 1;
    } else {
        double ta = z3_decide(inst, optimum, 0, XT_SMT_RELU_ITE, limit, &at);
        double tb = z3_decide(inst, optimum, 1, XT_SMT_RELU_ITE, limit,
                              &below);
        double to = smt_optimize(inst, limit, &closed, found);
        int proof = at == XT_SMT_SAT && below == XT_SMT_UNSAT;
        if (closed && !mpq_equal(found, optimum)) {
            fprintf(stderr, "bench_smt: SMT and enumeration disagree\n");
            exit(4);
        }
        printf("| %s | %d | %ld | %.3f | %s%.3f | %s | %s%.3f | %s |\n",
               xt_loss_name(loss), k, n, te, proof ? "" : "> ", ta + tb,
               proof ? "" : "(unknown)", closed ? "" : "> ", to,
               closed ? "" : "(not closed)");
        *give_up = !proof && !closed;
    }
    fflush(stdout);
    mpq_clears(optimum, found, NULL);
    xt_instance_clear(inst);
}

static void bench_enum(uint64_t seed, double limit)
{
    static const long sizes[] = {4, 6, 8, 12, 16, 24, 32, 48, 64};
    static const xt_loss losses[] = {XT_LOSS_L1, XT_LOSS_L2};

    printf("| loss | k | n | enumeration (s) | Z3 proof at the optimum (s) "
           "| | SMT optimization (s) | |\n|---|---|---|---|---|---|---|---|"
           "\n");
    for (int l = 0; l < 2; l++)
        for (int k = 1; k <= 3; k++) {
            uint64_t rng = seed + (uint64_t)(10 * k + l);
            for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
                int give_up = 0;
                enum_row(&rng, limit, k, sizes[s], losses[l], &give_up);
                if (give_up)
                    break;
            }
        }
}

/* --------------------------------------------------------------- cvc5 */

/* Runs cvc5 on path, stores its result in *answer and returns its time
 * in seconds. */
static double run_cvc5(const char *path, double limit, xt_smt_status *answer)
{
    char command[512], line[256];
    double start = xt_seconds();
    FILE *p;

    snprintf(command, sizeof command, "cvc5 --lang smt2 --tlimit=%ld %s "
             "2>&1", (long)(limit * 1000), path);
    p = popen(command, "r");
    *answer = XT_SMT_UNKNOWN;
    while (p && fgets(line, sizeof line, p)) {
        if (strncmp(line, "sat", 3) == 0)
            *answer = XT_SMT_SAT;
        else if (strncmp(line, "unsat", 5) == 0)
            *answer = XT_SMT_UNSAT;
    }
    if (p)
        pclose(p);
    return xt_seconds() - start;
}

static void cvc5_row(uint64_t *rng, long count, double limit, int k,
                     xt_loss loss, long n, const char *path)
{
    double *z = malloc((size_t)(2 * count) * sizeof *z);
    double *c = malloc((size_t)(2 * count) * sizeof *c);
    long runs = 0, z_unknown = 0, c_unknown = 0, disagree = 0;
    double z_total = 0, c_total = 0;
    xt_instance_t inst;
    xt_smt_options_t opt;
    xt_algebraic_t target;
    xt_error_t err;
    mpq_t optimum;

    xt_instance_init(inst);
    xt_smt_options_init(opt);
    xt_algebraic_init(target);
    mpq_init(optimum);
    for (long i = 0; i < count; i++) {
        random_instance(inst, rng, n, k, loss);
        if (enum_optimum(optimum, inst, 600) < 0)
            continue;
        xt_algebraic_set_q(target, optimum);
        for (int strict = 0; strict < 2; strict++) {
            xt_smt_status za, ca;
            FILE *f = fopen(path, "w");
            xt_smt_write(f, inst, target, strict, opt, &err);
            fclose(f);
            z[runs] = z3_decide(inst, optimum, strict, XT_SMT_RELU_ITE,
                                limit, &za);
            c[runs] = run_cvc5(path, limit, &ca);
            z_total += z[runs];
            c_total += c[runs];
            z_unknown += za == XT_SMT_UNKNOWN;
            c_unknown += ca == XT_SMT_UNKNOWN;
            disagree += za != XT_SMT_UNKNOWN && ca != XT_SMT_UNKNOWN &&
                        za != ca;
            runs++;
        }
    }
    printf("| %s | %s | %d | %ld | %ld | %.3f | %.3f | %.2f | %ld / %ld | "
           "%ld |\n", xt_smt_logic(inst, NULL, opt), xt_loss_name(loss), k,
           n, runs, median(z, runs), median(c, runs), c_total / z_total,
           z_unknown, c_unknown, disagree);
    fflush(stdout);
    free(z);
    free(c);
    mpq_clear(optimum);
    xt_algebraic_clear(target);
    xt_smt_options_clear(opt);
    xt_instance_clear(inst);
}

static void bench_cvc5(uint64_t seed, long count, double limit)
{
    char path[] = "/tmp/bench-smt-XXXXXX";
    int fd = mkstemp(path);
    uint64_t rng = seed;

    if (fd < 0) {
        perror("bench_smt");
        exit(4);
    }
    close(fd);
    printf("| logic | loss | k | n | files | median Z3 (s) | median cvc5 (s) "
           "| total cvc5 / Z3 | unknown Z3 / cvc5 | disagreements |\n"
           "|---|---|---|---|---|---|---|---|---|---|\n");
    cvc5_row(&rng, count, limit, 1, XT_LOSS_L1, 8, path);
    cvc5_row(&rng, count, limit, 2, XT_LOSS_L1, 8, path);
    cvc5_row(&rng, count, limit, 3, XT_LOSS_L1, 6, path);
    cvc5_row(&rng, count, limit, 1, XT_LOSS_L2, 6, path);
    cvc5_row(&rng, count, limit, 2, XT_LOSS_L2, 4, path);
    unlink(path);
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "enum") == 0) {
        bench_enum(strtoull(argv[2], NULL, 10), atof(argv[3]));
        return 0;
    }
    if (argc >= 5 && strcmp(argv[1], "encoding") == 0) {
        bench_encoding(strtoull(argv[2], NULL, 10), atol(argv[3]),
                       atof(argv[4]));
        return 0;
    }
    if (argc >= 5 && strcmp(argv[1], "cvc5") == 0) {
        bench_cvc5(strtoull(argv[2], NULL, 10), atol(argv[3]),
                   atof(argv[4]));
        return 0;
    }
    fprintf(stderr, "usage: bench_smt encoding SEED COUNT LIMIT\n"
            "       bench_smt enum SEED LIMIT\n"
            "       bench_smt cvc5 SEED COUNT LIMIT\n");
    return 2;
}

/* Z3 (through xtrain) against cvc5 on the exported SMT-LIB files: seeded
 * random tiny instances of every activation and loss, one or two
 * outputs, with and without output bias, and random ETR-INV systems.
 * cvc5 must accept every file; where both solvers decide, they must
 * agree; on linear formulas (QF_LRA) both must decide.  cvc5 1.0.3 as
 * packaged by Debian lacks libpoly, so its nonlinear arithmetic is
 * incomplete and it may time out there; those cases only count.
 * Skips with a message when cvc5 is not installed. */
#include <unistd.h>
#include "xt_test.h"
#include "xtrain/etrinv.h"
#include "xtrain/smt.h"
#include "xtrain/solve.h"

#define SECONDS 5

typedef struct {
    long files, both, agree, z3_only, cvc5_only, neither;
} tally;

static int have_cvc5(void)
{
    FILE *p = popen("cvc5 --version 2>/dev/null", "r");
    char line[128] = "";

    if (!p)
        return 0;
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    pclose(p);
    return strstr(line, "cvc5") != NULL;
}

/* Runs cvc5 on path; returns XT_SMT_SAT, XT_SMT_UNSAT or XT_SMT_UNKNOWN,
 * and fails the test when cvc5 reports an error. */
static xt_smt_status run_cvc5(const char *path, const char *what)
{
    char command[512], line[256] = "";
    FILE *p;
    xt_smt_status status = XT_SMT_UNKNOWN;

    snprintf(command, sizeof command,
             "cvc5 --lang smt2 --tlimit=%d %s 2>&1", SECONDS * 1000, path);
    p = popen(command, "r");
    if (!p) {
        XT_FAIL("%s: cannot run cvc5", what);
        return status;
    }
    while (fgets(line, sizeof line, p)) {
        if (strncmp(line, "sat", 3) == 0)
            status = XT_SMT_SAT;
        else if (strncmp(line, "unsat", 5) == 0)
            status = XT_SMT_UNSAT;
        else if (strstr(line, "(error"))
            XT_FAIL("%s: cvc5 rejects the file: %s", what, line);
    }
    pclose(p);
    return status;
}

static void count(tally *t, xt_smt_status z3, xt_smt_status cvc5,
                  const char *what)
{
    t->files++;
    if (z3 != XT_SMT_UNKNOWN && cvc5 != XT_SMT_UNKNOWN) {
        t->both++;
        if (z3 == cvc5)
            t->agree++;
        else
            XT_FAIL("%s: Z3 answers %s, cvc5 %s", what,
                    z3 == XT_SMT_SAT ? "sat" : "unsat",
                    cvc5 == XT_SMT_SAT ? "sat" : "unsat");
    } else if (z3 != XT_SMT_UNKNOWN) {
        t->z3_only++;
    } else if (cvc5 != XT_SMT_UNKNOWN) {
        t->cvc5_only++;
    } else {
        t->neither++;
    }
}

static void random_instance(xt_instance_t inst, uint64_t *rng, int linear)
{
    int d = 1 + (int)(xt_test_rand(rng) % 2);
    int m = linear ? 1 : 1 + (int)(xt_test_rand(rng) % 2);
    long n = 2 + (long)(xt_test_rand(rng) % 3);

    xt_instance_resize(inst, n, d, m, NULL);
    for (long i = 0; i < n * d; i++)
        mpq_set_si(inst->x[i], (long)(xt_test_rand(rng) % 5) - 2, 1);
    for (long i = 0; i < n * m; i++)
        mpq_set_si(inst->y[i], (long)(xt_test_rand(rng) % 5) - 2, 1);
    inst->hidden = 1 + (int)(xt_test_rand(rng) % 2);
    inst->activation = (xt_activation)(xt_test_rand(rng) % 3);
    inst->loss = (xt_loss)(xt_test_rand(rng) % 4);
    if (linear && inst->loss == XT_LOSS_L2)
        inst->loss = XT_LOSS_L1;
    inst->output_bias = (int)(xt_test_rand(rng) % 2);
    inst->convex = xt_test_rand(rng) % 4 == 0;
}

/* A target near the interesting range: 0, 1/2, 1 or 2, strict or not. */
static void random_target(xt_algebraic_t target, uint64_t *rng, int *strict)
{
    mpq_t q;

    mpq_init(q);
    mpq_set_ui(q, (unsigned long)(xt_test_rand(rng) % 5), 2);
    mpq_canonicalize(q);
    xt_algebraic_set_q(target, q);
    *strict = (int)(xt_test_rand(rng) % 2);
    mpq_clear(q);
}

static void training_files(uint64_t *rng, long n, int linear, tally *t,
                           const char *path)
{
    xt_instance_t inst;
    xt_smt_options_t opt;
    xt_smt_answer_t ans;
    xt_algebraic_t target;
    xt_error_t err;
    char what[96];
    int strict;

    xt_instance_init(inst);
    xt_smt_options_init(opt);
    xt_smt_answer_init(ans);
    xt_algebraic_init(target);
    for (long c = 0; c < n; c++) {
        random_instance(inst, rng, linear);
        random_target(target, rng, &strict);
        opt->relu = (xt_smt_relu_encoding)(xt_test_rand(rng) % 2);
        snprintf(what, sizeof what, "%s instance %ld (%s, %s, m = %d)",
                 linear ? "linear" : "nonlinear", c,
                 xt_activation_name(inst->activation),
                 xt_loss_name(inst->loss), inst->m);
        if (linear && strcmp(xt_smt_logic(inst, target, opt), "QF_LRA"))
            XT_FAIL("%s: expected a linear formula", what);
        FILE *f = fopen(path, "w");
        XT_CHECK(f && xt_smt_write(f, inst, target, strict, opt, &err) ==
                          XT_OK);
        if (f)
            fclose(f);
        xt_smt_status cvc5 = run_cvc5(path, what);
        if (xt_smt_decide(ans, inst, target, strict, opt, SECONDS, &err)) {
            XT_FAIL("%s: %s", what, err.message);
            continue;
        }
        count(t, ans->status, cvc5, what);
    }
    xt_algebraic_clear(target);
    xt_smt_answer_clear(ans);
    xt_smt_options_clear(opt);
    xt_instance_clear(inst);
}

static void etrinv_files(uint64_t *rng, long n, tally *t, const char *path)
{
    xt_etrinv_t sys;
    xt_etrinv_solution_t sol;
    xt_smt_status z3;
    xt_error_t err;
    char what[64];

    xt_etrinv_init(sys);
    xt_etrinv_solution_init(sol);
    for (long c = 0; c < n; c++) {
        int nvars = 2 + (int)(xt_test_rand(rng) % 4);
        xt_etrinv_random(sys, rng, nvars, nvars, &err);
        snprintf(what, sizeof what, "ETR-INV system %ld", c);
        FILE *f = fopen(path, "w");
        if (f) {
            xt_etrinv_write_smt2(f, sys);
            fclose(f);
        }
        xt_smt_status cvc5 = run_cvc5(path, what);
        if (xt_etrinv_solve(&z3, sol, sys, SECONDS, &err)) {
            XT_FAIL("%s: %s", what, err.message);
            continue;
        }
        count(t, z3, cvc5, what);
    }
    xt_etrinv_solution_clear(sol);
    xt_etrinv_clear(sys);
}

static void report(const char *name, const tally *t)
{
    printf("%s: %ld files, both decided %ld (agree %ld), only Z3 %ld, only "
           "cvc5 %ld, neither %ld\n", name, t->files, t->both, t->agree,
           t->z3_only, t->cvc5_only, t->neither);
}

int main(void)
{
    uint64_t rng = xt_test_seed();
    tally lra = {0}, nra = {0}, etr = {0};
    char path[] = "/tmp/xtrain-smt-XXXXXX";
    int fd;

    if (!have_cvc5()) {
        printf("test_smt_cvc5: skipped: cvc5 is not installed (Debian: apt "
               "install cvc5)\n");
        return 77;
    }
    fd = mkstemp(path);
    if (fd < 0) {
        XT_FAIL("cannot create a temporary file");
        return xt_test_finish("test_smt_cvc5");
    }
    close(fd);
    training_files(&rng, xt_test_scale(60), 1, &lra, path);
    training_files(&rng, xt_test_scale(30), 0, &nra, path);
    etrinv_files(&rng, xt_test_scale(30), &etr, path);
    unlink(path);
    report("QF_LRA training", &lra);
    report("QF_NRA training", &nra);
    report("ETR-INV", &etr);
    XT_CHECK_INT(lra.both, lra.files);
    XT_CHECK(nra.both + etr.both > 0);
    return xt_test_finish("test_smt_cvc5");
}

/* The SMT backend against the enumeration solver on seeded random tiny
 * ReLU instances with one output: at the enumeration optimum v, Z3 must
 * find a network with loss <= v (verified exactly) and prove that no
 * network has loss < v.  Then the SMT optimization without the
 * enumeration bound must reach the same optimum.  XTRAIN_SEED replays a
 * run; XTRAIN_TEST_SCALE multiplies the number of instances. */
#include "xt_test.h"
#include "xtrain/smt.h"
#include "xtrain/solve.h"

/* Seconds per Z3 check; l2 checks with two neurons may need them. */
#define CHECK_SECONDS 20

typedef struct {
    long instances, decided, unknown;
} tally;

/* A random instance: n points with integer coordinates in [-2, 2] and
 * labels in [-3, 3], d inputs, one output, k ReLU neurons. */
static void random_instance(xt_instance_t inst, uint64_t *rng, long n,
                            int d, int k, xt_loss loss, int bias)
{
    xt_instance_resize(inst, n, d, 1, NULL);
    for (long i = 0; i < n * d; i++)
        mpq_set_si(inst->x[i], (long)(xt_test_rand(rng) % 5) - 2, 1);
    for (long i = 0; i < n; i++)
        mpq_set_si(inst->y[i], (long)(xt_test_rand(rng) % 7) - 3, 1);
    inst->hidden = k;
    inst->activation = XT_ACT_RELU;
    inst->loss = loss;
    inst->output_bias = bias;
    inst->convex = 0;
    inst->has_target = 0;
}

/* Decides loss <= v (or < v when strict) and returns the status. */
static xt_smt_status decide(const xt_instance_t inst, const mpq_t v,
                            int strict, long index)
{
    xt_smt_options_t opt;
    xt_smt_answer_t ans;
    xt_algebraic_t target;
    xt_error_t err;
    xt_smt_status status;

    xt_smt_options_init(opt);
    xt_smt_answer_init(ans);
    xt_algebraic_init(target);
    xt_algebraic_set_q(target, v);
    if (xt_smt_decide(ans, inst, target, strict, opt, CHECK_SECONDS, &err)) {
        XT_FAIL("instance %ld: xt_smt_decide failed: %s", index,
                err.message);
        status = XT_SMT_UNKNOWN;
    } else {
        status = ans->status;
        if (status == XT_SMT_SAT)
            XT_CHECK(ans->loss->exact && ans->loss->meets_target);
    }
    xt_algebraic_clear(target);
    xt_smt_answer_clear(ans);
    xt_smt_options_clear(opt);
    return status;
}

/* Checks the decisions at the enumeration optimum of one instance. */
static void agree_at_optimum(const xt_instance_t inst, long index,
                             tally *t)
{
    xt_solve_options opt;
    xt_solve_result_t res;
    xt_error_t err;

    xt_solve_options_init(&opt);
    xt_solve_result_init(res);
    t->instances++;
    if (xt_solve_enum(res, inst, &opt, &err) != XT_OK ||
        res->status != XT_SOLVE_OPTIMAL) {
        XT_FAIL("instance %ld: the enumeration solver failed", index);
    } else {
        xt_smt_status at = decide(inst, res->loss, 0, index);
        xt_smt_status below = decide(inst, res->loss, 1, index);
        if (at == XT_SMT_UNKNOWN || below == XT_SMT_UNKNOWN) {
            t->unknown++;
        } else {
            t->decided++;
            if (at != XT_SMT_SAT || below != XT_SMT_UNSAT) {
                char *v = xt_rat_to_string(res->loss);
                XT_FAIL("instance %ld (%s, k = %d): enumeration optimum %s, "
                        "but Z3 answers %s at it and %s below", index,
                        xt_loss_name(inst->loss), inst->hidden, v,
                        at == XT_SMT_SAT ? "sat" : "unsat",
                        below == XT_SMT_SAT ? "sat" : "unsat");
                free(v);
            }
        }
    }
    xt_solve_result_clear(res);
}

/* Runs count instances of one family. */
static void family(uint64_t *rng, long count, long n_max, int d, int k,
                   xt_loss loss, tally *t)
{
    xt_instance_t inst;

    xt_instance_init(inst);
    for (long c = 0; c < count; c++) {
        long n = 2 + (long)(xt_test_rand(rng) % (uint64_t)(n_max - 1));
        random_instance(inst, rng, n, d, k, loss,
                        (int)(xt_test_rand(rng) % 2));
        agree_at_optimum(inst, t->instances, t);
    }
    xt_instance_clear(inst);
}

/* The optimization (no enumeration bound) closes at the same optimum. */
static void optimize_agrees(uint64_t *rng, long count)
{
    xt_instance_t inst;
    xt_smt_options_t smt;
    xt_solve_options opt;
    xt_error_t err;

    xt_instance_init(inst);
    xt_smt_options_init(smt);
    smt->use_enum_bound = 0;
    xt_solve_options_init(&opt);
    opt.time_limit = 60;
    for (long c = 0; c < count; c++) {
        xt_solve_result_t res, ref;
        random_instance(inst, rng, 3 + (long)(xt_test_rand(rng) % 3), 2,
                        1 + (int)(xt_test_rand(rng) % 2),
                        c % 2 ? XT_LOSS_LINF : XT_LOSS_L1, 1);
        xt_solve_result_init(res);
        xt_solve_result_init(ref);
        XT_CHECK(xt_smt_solve(res, NULL, inst, &opt, smt, &err) == XT_OK);
        XT_CHECK(xt_solve_enum(ref, inst, &opt, &err) == XT_OK);
        XT_CHECK_INT(res->status, XT_SOLVE_OPTIMAL);
        XT_CHECK(res->has_network && mpq_equal(res->loss, ref->loss));
        XT_CHECK(res->has_lower && mpq_equal(res->lower, ref->loss));
        xt_solve_result_clear(res);
        xt_solve_result_clear(ref);
    }
    xt_smt_options_clear(smt);
    xt_instance_clear(inst);
}

int main(void)
{
    uint64_t rng = xt_test_seed();
    tally lra = {0, 0, 0}, nra = {0, 0, 0};

    /* l1 and linf: the formula is linear (QF_LRA), Z3 must decide all */
    family(&rng, xt_test_scale(60), 5, 2, 1, XT_LOSS_L1, &lra);
    family(&rng, xt_test_scale(60), 5, 2, 1, XT_LOSS_LINF, &lra);
    family(&rng, xt_test_scale(40), 4, 1, 2, XT_LOSS_L1, &lra);
    family(&rng, xt_test_scale(40), 4, 2, 2, XT_LOSS_LINF, &lra);
    XT_CHECK_INT(lra.unknown, 0);
    /* l2: nonlinear (QF_NRA); with one neuron Z3 decides all of these */
    family(&rng, xt_test_scale(60), 4, 2, 1, XT_LOSS_L2, &nra);
    XT_CHECK_INT(nra.unknown, 0);
    optimize_agrees(&rng, xt_test_scale(10));
    printf("%ld linear and %ld l2 instances agree with the enumeration "
           "solver\n", lra.decided, nra.decided);
    return xt_test_finish("test_smt_enum");
}

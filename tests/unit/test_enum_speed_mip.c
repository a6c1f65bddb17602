/* Tests of the GLPK big-M baseline (--method mip).  Its network is real,
 * so its exact loss is never below the enumeration's proven optimum.  It
 * reaches that optimum on small instances whose optimal weights lie in
 * its box, and it proves nothing (status unknown). */
#include <stdlib.h>
#include <string.h>
#include "xt_test.h"
#include "xtrain/instance.h"
#include "xtrain/log.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"

static int run(mpq_t loss, xt_solve_status *status, const xt_instance_t inst,
               xt_method method)
{
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    opt.method = method;
    opt.threads = 1;
    xt_solve_result_t res;
    xt_solve_result_init(res);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_solve(res, inst, &opt, &err);
    if (rc != XT_OK)
        fprintf(stderr, "solve: %s\n", err.message);
    *status = res->status;
    mpq_set(loss, res->loss);
    if (rc == XT_OK && res->has_network) {
        /* The reported loss is the network's exact loss. */
        mpq_t check;
        mpq_init(check);
        XT_CHECK_INT(xt_network_loss(check, NULL, res->network, inst,
                                     inst->loss, &err), XT_OK);
        XT_CHECK(mpq_equal(check, res->loss));
        mpq_clear(check);
    }
    int has = res->has_network;
    xt_solve_result_clear(res);
    return rc == XT_OK && has;
}

static void random_instance(xt_instance_t inst, uint64_t *state, int loss)
{
    int d = 1 + (int)(xt_test_rand(state) % 2);
    long n = 3 + (long)(xt_test_rand(state) % 3);
    xt_instance_resize(inst, n, d, 1, NULL);
    for (long i = 0; i < n * d; i++)
        mpq_set_si(inst->x[i], (long)(xt_test_rand(state) % 7) - 3, 1);
    for (long i = 0; i < n; i++)
        mpq_set_si(inst->y[i], (long)(xt_test_rand(state) % 9) - 4, 1);
    inst->loss = (xt_loss)loss;
    inst->hidden = 1 + (int)(xt_test_rand(state) % 2);
    inst->output_bias = (int)(xt_test_rand(state) % 2);
}

static void test_mip_against_enum(void)
{
    uint64_t state = xt_test_seed() ^ 0x313;
    long rounds = xt_test_scale(6);
    int equal = 0;
    for (long r = 0; r < rounds; r++) {
        xt_instance_t inst;
        xt_instance_init(inst);
        random_instance(inst, &state, (int)(r % 3));
        mpq_t mip, opt;
        mpq_inits(mip, opt, NULL);
        xt_solve_status smip, sopt;
        XT_CHECK(run(opt, &sopt, inst, XT_METHOD_ENUM));
        XT_CHECK_INT(sopt, XT_SOLVE_OPTIMAL);
        XT_CHECK(run(mip, &smip, inst, XT_METHOD_MIP));
        XT_CHECK_INT(smip, XT_SOLVE_UNKNOWN);
        XT_CHECK(mpq_cmp(mip, opt) >= 0);
        equal += mpq_equal(mip, opt);
        mpq_clears(mip, opt, NULL);
        xt_instance_clear(inst);
    }
    /* Integer data with labels in [-4, 4]: the optimal weights are small
     * against the box of ten times the largest label plus one. */
    XT_CHECK(equal >= rounds - 1);
}

/* A target the MIP's network meets gives "feasible". */
static void test_mip_target(void)
{
    xt_instance_t inst;
    xt_instance_init(inst);
    xt_error_t err;
    XT_CHECK_INT(xt_instance_read_string(
                     inst, "xtrain-instance 1\ninputs 1\nhidden 2\n"
                           "loss l1\ntarget 0\ndata 4\n-1 1\n0 0\n1 1\n"
                           "2 2\n", "test", &err),
                 XT_OK);
    mpq_t loss;
    mpq_init(loss);
    xt_solve_status status;
    XT_CHECK(run(loss, &status, inst, XT_METHOD_MIP));
    XT_CHECK_INT(status, XT_SOLVE_FEASIBLE);
    XT_CHECK_RAT(loss, "0");
    mpq_clear(loss);
    xt_instance_clear(inst);
}

int main(void)
{
    xt_test_seed();
    xt_verbosity = 0;
    test_mip_target();
    test_mip_against_enum();
    return xt_test_finish("test_enum_speed_mip");
}

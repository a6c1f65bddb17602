/* The two-output instance whose optimum needs irrational weights
 * (tests/data/smt/irrational-2out.txt; docs/smt.md has the proof): one
 * ReLU, labels Y = [[2, 1], [1, 1]], optimum (7 - 3 sqrt 5) / 2.
 *
 *   - Z3 reaches the irrational target exactly, with a model that has an
 *     irrational weight, and the model's loss equals the target;
 *   - no network is below it, so it is the optimum, proven by Z3;
 *   - every rational target above is met and every one below is not;
 *   - the optimization brackets the optimum but cannot close on it;
 *   - the stored optimal network (tests/data/smt/irrational-2out.net)
 *     has exactly this loss. */
#include "xt_test.h"
#include "xtrain/smt.h"
#include "xtrain/solve.h"

#define OPTIMUM "(root-obj (+ (^ x 2) (* (- 7) x) 1) 1)"
#define CHECK_SECONDS 60

static void load(xt_instance_t inst)
{
    xt_error_t err;

    if (xt_instance_read_file(inst, XT_TEST_DATA "/smt/irrational-2out.txt",
                              &err) != XT_OK)
        XT_FAIL("%s", err.message);
}

static xt_smt_status decide(xt_smt_answer_t ans, const xt_instance_t inst,
                            const char *target_text, int strict)
{
    xt_smt_options_t opt;
    xt_algebraic_t target;
    xt_error_t err;
    xt_smt_status status = XT_SMT_UNKNOWN;

    xt_smt_options_init(opt);
    xt_algebraic_init(target);
    if (xt_algebraic_parse(target, target_text, strlen(target_text), &err))
        XT_FAIL("%s: %s", target_text, err.message);
    else if (xt_smt_decide(ans, inst, target, strict, opt, CHECK_SECONDS,
                           &err))
        XT_FAIL("%s: %s", target_text, err.message);
    else
        status = ans->status;
    xt_algebraic_clear(target);
    xt_smt_options_clear(opt);
    return status;
}

static void test_exact_optimum(const xt_instance_t inst)
{
    xt_smt_answer_t ans;
    xt_algebraic_t optimum;
    xt_error_t err;

    xt_smt_answer_init(ans);
    xt_algebraic_init(optimum);
    xt_algebraic_parse(optimum, OPTIMUM, strlen(OPTIMUM), &err);
    XT_CHECK_INT(decide(ans, inst, OPTIMUM, 0), XT_SMT_SAT);
    if (ans->status == XT_SMT_SAT) {
        XT_CHECK(xt_algebraic_network_irrational(ans->network) > 0);
        XT_CHECK(ans->loss->exact);
        XT_CHECK_INT(xt_algebraic_cmp(ans->loss->loss, optimum), 0);
    }
    XT_CHECK_INT(decide(ans, inst, OPTIMUM, 1), XT_SMT_UNSAT);
    xt_algebraic_clear(optimum);
    xt_smt_answer_clear(ans);
}

/* Rational targets around the optimum 0.1458980337503... */
static void test_rational_targets(const xt_instance_t inst)
{
    xt_smt_answer_t ans;

    xt_smt_answer_init(ans);
    XT_CHECK_INT(decide(ans, inst, "1458981/10000000", 0), XT_SMT_SAT);
    XT_CHECK_INT(decide(ans, inst, "1458980/10000000", 0), XT_SMT_UNSAT);
    XT_CHECK_INT(decide(ans, inst, "1/6", 0), XT_SMT_SAT);
    XT_CHECK_INT(decide(ans, inst, "1/7", 0), XT_SMT_UNSAT);
    xt_smt_answer_clear(ans);
}

static void test_optimization(const xt_instance_t inst)
{
    xt_solve_options opt;
    xt_solve_result_t res;
    xt_smt_options_t smt;
    xt_algebraic_t optimum;
    xt_error_t err;

    xt_solve_options_init(&opt);
    opt.time_limit = 120;
    xt_solve_result_init(res);
    xt_smt_options_init(smt);
    xt_algebraic_init(optimum);
    xt_algebraic_parse(optimum, OPTIMUM, strlen(OPTIMUM), &err);
    XT_CHECK(xt_smt_solve(res, NULL, inst, &opt, smt, &err) == XT_OK);
    /* the optimum is irrational, so no rational loss closes the search */
    XT_CHECK_INT(res->status, XT_SOLVE_UNKNOWN);
    XT_CHECK(res->has_lower && res->has_network);
    XT_CHECK(xt_algebraic_cmp_q(optimum, res->lower) >= 0);
    XT_CHECK(xt_algebraic_cmp_q(optimum, res->loss) < 0);
    xt_algebraic_clear(optimum);
    xt_smt_options_clear(smt);
    xt_solve_result_clear(res);
}

static void test_stored_network(const xt_instance_t inst)
{
    xt_algebraic_network_t net;
    xt_algebraic_loss_t rep;
    xt_algebraic_t optimum;
    xt_error_t err;

    xt_algebraic_network_init(net);
    xt_algebraic_loss_init(rep);
    xt_algebraic_init(optimum);
    xt_algebraic_parse(optimum, OPTIMUM, strlen(OPTIMUM), &err);
    XT_CHECK_INT(xt_algebraic_network_file_test(
                     XT_TEST_DATA "/smt/irrational-2out.net"), 1);
    XT_CHECK(xt_algebraic_network_read_file(
                 net, XT_TEST_DATA "/smt/irrational-2out.net", &err) ==
             XT_OK);
    XT_CHECK(xt_algebraic_network_conforms(net, inst, &err) == XT_OK);
    XT_CHECK(xt_algebraic_network_loss(rep, net, inst, inst->loss, optimum,
                                       0, &err) == XT_OK);
    XT_CHECK(rep->exact && rep->meets_target);
    XT_CHECK_INT(xt_algebraic_cmp(rep->loss, optimum), 0);
    xt_algebraic_clear(optimum);
    xt_algebraic_loss_clear(rep);
    xt_algebraic_network_clear(net);
}

int main(void)
{
    xt_instance_t inst;

    xt_test_seed();
    xt_instance_init(inst);
    load(inst);
    test_exact_optimum(inst);
    test_rational_targets(inst);
    test_stored_network(inst);
    test_optimization(inst);
    xt_instance_clear(inst);
    return xt_test_finish("test_smt_irrational");
}
